package dev.flinkfleet.simulator.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Writes summary.json: a JSON list of {@link Summary}, numbers rounded so equal runs give equal bytes. */
public final class SummaryWriter {

    static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private SummaryWriter() {
    }

    public static void write(Path file, List<Summary> summaries) throws IOException {
        JSON.writeValue(file.toFile(), summaries.stream().map(SummaryWriter::rounded).toList());
    }

    public static String toJson(List<Summary> summaries) throws IOException {
        return JSON.writeValueAsString(summaries.stream().map(SummaryWriter::rounded).toList());
    }

    /**
     * Rounds every figure, after checking that each is a number: a NaN or Infinity would be a bug in the model,
     * and is an error rather than a "NaN" in a file other tools read. Only {@code cost_ratio} may be undefined.
     */
    static Summary rounded(Summary s) {
        double[] figures = {s.vcpuHours(), s.workBoundVcpuHours(), s.slaViolationMinutes(), s.latencyP50S(), s.latencyP99S(),
                s.latencyMaxS(), s.downtimeMinutes(), s.maxBacklogRecords()};
        String[] names = {"vcpu_hours", "work_bound_vcpu_hours", "sla_violation_minutes", "latency_p50_s", "latency_p99_s",
                "latency_max_s", "downtime_minutes", "max_backlog_records"};
        for (int i = 0; i < figures.length; i++) {
            if (!Double.isFinite(figures[i])) {
                throw new IllegalStateException(s.policy() + " on " + s.job() + ": " + names[i] + " is " + figures[i]);
            }
        }
        if (Double.isInfinite(s.costRatio())) {
            throw new IllegalStateException(s.policy() + " on " + s.job() + ": cost_ratio is " + s.costRatio());
        }
        return new Summary(s.policy(), s.job(), r(s.vcpuHours()), r(s.workBoundVcpuHours()), r(s.costRatio()),
                r(s.slaViolationMinutes()), r(s.latencyP50S()), r(s.latencyP99S()), r(s.latencyMaxS()), s.rescales(),
                r(s.downtimeMinutes()), r(s.maxBacklogRecords()), s.budgetHolds());
    }

    /** Six significant digits after the point at most; plenty for costs and latencies, stable across JVMs. */
    static double r(double v) {
        if (!Double.isFinite(v)) {
            return v;
        }
        return new java.math.BigDecimal(v).setScale(6, java.math.RoundingMode.HALF_EVEN).doubleValue();
    }
}

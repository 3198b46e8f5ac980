package dev.flinkfleet.autoscaler.record;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.flinkfleet.autoscaler.config.Secrets;
import dev.flinkfleet.autoscaler.prometheus.PromQueries;
import dev.flinkfleet.autoscaler.prometheus.SeriesKeys;
import dev.flinkfleet.autoscaler.prometheus.PrometheusClient;
import dev.flinkfleet.autoscaler.prometheus.PrometheusException;
import dev.flinkfleet.autoscaler.prometheus.RangeSeries;
import dev.flinkfleet.autoscaler.prometheus.Sample;
import dev.flinkfleet.policies.SignalKind;

/**
 * A rate query's history from Prometheus ({@code query_range}), one value per step. Row {@code i} of the trace
 * (the step {@code [b_i, b_i+1)}) takes the value evaluated at the step's END, {@code b_i+1}, since a rate query
 * looks back from its evaluation time. The range is asked for in chunks of at most
 * {@link RangeChunks#PROMETHEUS_MAX_POINTS} points, each written out before the next is asked for.
 *
 * <p>The query must give exactly one series with a finite value at every step: several series (it does not
 * select one job), none, or a missing or NaN value (a gap the trace cannot hold) are errors naming the time.
 * Negative values (the slope term of an input-rate query dips below zero when a backlog drains) are written
 * as 0 and counted.
 */
public final class PrometheusRates {

    private final PrometheusClient client;
    private final String where;
    private final int maxPoints;

    /**
     * @param where     the server as shown in errors, e.g. {@code Prometheus at http://prom:9090}, credentials masked
     * @param maxPoints points per request (at most {@link RangeChunks#PROMETHEUS_MAX_POINTS})
     */
    public PrometheusRates(PrometheusClient client, String where, int maxPoints) {
        if (maxPoints < 1 || maxPoints > RangeChunks.PROMETHEUS_MAX_POINTS) {
            throw new IllegalArgumentException("maxPoints must be 1.." + RangeChunks.PROMETHEUS_MAX_POINTS + ", got " + maxPoints);
        }
        this.client = Objects.requireNonNull(client, "client");
        this.where = where;
        this.maxPoints = maxPoints;
    }

    /** How a recording went: rows written, negative values written as 0, requests sent. */
    public record Result(int rows, int negativesClamped, int requests) {
    }

    /**
     * The shipped (or configured) input-rate template with {@code job} selected: {@code jobLabel="job"} joins
     * the configured selector, {@code {{window}}} is {@code window} (the trace's step, so each row is the rate
     * over its own step) and {@code {{step}}} the configured subquery resolution.
     */
    public static String inputRateQuery(String template, String jobLabel, String selector, String job, Duration window, Duration step) {
        return inputRateQuery(template, SeriesKeys.jobNameOnly(jobLabel), selector, job, window, step);
    }

    /** As above, with {@code job} a FlinkDeployment's {@code NAMESPACE/NAME} or a job name ({@link SeriesKeys#matcherFor}). */
    public static String inputRateQuery(String template, SeriesKeys keys, String selector, String job, Duration window, Duration step) {
        String sel = PromQueries.selectorForJob(keys, selector, job);
        PromQueries q = PromQueries.render(Map.of(SignalKind.INPUT_RATE, new String[] {template, ""}),
                new PromQueries.Vars(keys, sel, window, step.compareTo(window) > 0 ? window : step));
        PromQueries.SignalQuery s = q.bySignal().get(SignalKind.INPUT_RATE);
        if (s == null) {
            throw new RecordException("the input-rate query is empty in the config (flinkfleet.prometheus.queries.input-rate.value); give --query");
        }
        return s.value();
    }

    public Result record(String query, StepGrid grid, TraceFileWriter out, Progress progress) {
        List<RangeChunks.Chunk> chunks = RangeChunks.split(grid.boundary(1), grid.rows(), grid.stepSeconds(), maxPoints);
        int row = 0;
        int clamped = 0;
        for (RangeChunks.Chunk c : chunks) {
            List<RangeSeries> series = queryRange(query, c, grid.step());
            if (series.size() > 1) {
                throw new RecordException("query returned " + series.size() + " series over " + c.first() + " .. " + c.last()
                        + ", a trace needs one; they differ in " + differingLabels(series) + "; select one or aggregate"
                        + " (e.g. sum(...)) -- query: " + query);
            }
            if (series.isEmpty()) {
                throw new RecordException("query returned no series over " + c.first() + " .. " + c.last()
                        + (row == 0 ? "" : " (it had values until " + grid.boundary(row) + ")")
                        + "; check the job name and labels, or record a range where the job reported -- query: " + query);
            }
            Map<Long, Double> byTime = new HashMap<>();
            for (Sample s : series.get(0).samples()) {
                byTime.put(Math.round(s.timestampSeconds()), s.value());
            }
            for (int k = 0; k < c.points(); k++, row++) {
                Instant at = c.first().plusSeconds(k * grid.stepSeconds());
                Double v = byTime.get(at.getEpochSecond());
                if (v == null || !Double.isFinite(v)) {
                    throw new RecordException(gap(query, grid, c, row, at, byTime, v));
                }
                if (v < 0) {
                    clamped++;
                }
                out.row(grid.boundary(row), Math.max(0, v));
                progress.update(row + 1L);
            }
        }
        return new Result(row, clamped, chunks.size());
    }

    private List<RangeSeries> queryRange(String query, RangeChunks.Chunk c, Duration step) {
        try {
            return client.queryRange(query, c.first(), c.last(), step);
        } catch (PrometheusException e) {
            String why = Secrets.maskSecrets(e.serverMessage());
            throw switch (e.kind()) {
                case IO, TIMEOUT -> new RecordException(where + " unreachable: " + why, e);
                case HTTP_STATUS, API_ERROR -> new RecordException(where + " refused the query"
                        + (e.httpStatus() > 0 ? " (HTTP " + e.httpStatus() + ")" : "") + ": " + why + " -- query: " + query, e);
                case MALFORMED_RESPONSE -> new RecordException(where + " answered something that is not the query API's JSON: " + why, e);
            };
        }
    }

    private static String gap(String query, StepGrid grid, RangeChunks.Chunk c, int row, Instant at, Map<Long, Double> byTime, Double v) {
        if (v != null) {
            return "query value at " + at + " is " + v + " (row " + grid.boundary(row) + "); a trace needs a finite rate at every step -- query: " + query;
        }
        long missing = 0;
        for (int k = 0; k < c.points(); k++) {
            if (!byTime.containsKey(c.first().plusSeconds(k * grid.stepSeconds()).getEpochSecond())) {
                missing++;
            }
        }
        TreeSet<Long> have = new TreeSet<>(byTime.keySet());
        Long next = have.ceiling(at.getEpochSecond());
        return "query has no value at " + at + " (row " + grid.boundary(row) + "; " + missing + " of " + c.points()
                + " steps missing in " + c.first() + " .. " + c.last()
                + (next == null ? "" : ", values resume at " + Instant.ofEpochSecond(next))
                + "); a trace has no gaps: record a range where the job reported -- query: " + query;
    }

    /** Which labels tell the series apart, with their values: {@code pod (a, b), job_name (x, y)}. */
    static String differingLabels(List<RangeSeries> series) {
        Set<String> names = new LinkedHashSet<>();
        series.forEach(s -> names.addAll(new TreeSet<>(s.labels().keySet())));
        List<String> out = new ArrayList<>();
        for (String n : names) {
            List<String> values = series.stream().map(s -> s.labels().getOrDefault(n, "(none)")).distinct().toList();
            if (values.size() > 1) {
                out.add(n + " (" + values.stream().limit(5).collect(Collectors.joining(", "))
                        + (values.size() > 5 ? ", ... " + values.size() + " values" : "") + ")");
            }
        }
        return out.isEmpty() ? "no label (identical label sets)" : "label" + (out.size() > 1 ? "s " : " ") + String.join(", ", out);
    }
}

package dev.flinkfleet.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.flinkfleet.simulator.Fakes;
import picocli.CommandLine;

/**
 * Extreme numbers in traces and job models: each is a clear error naming the trace row or the job-model key with
 * its file:line (exit 1), never an overflow, an OutOfMemoryError, a hang or a NaN in summary.json.
 */
class ExtremeInputsTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    Run simulate(Path trace, Path job) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new SimulateCommand(Fakes.fitInputLoader(1000)));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        List<String> args = new ArrayList<>(List.of("--trace", trace.toString(), "--policy", "fit", "--out", dir.resolve("o").toString(), "--threads", "1"));
        if (job != null) {
            args.addAll(List.of("--job", job.toString()));
        }
        int code = cl.execute(args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** A trace with a 60 s step; each rate is written as given. */
    Path trace(String name, String... rates) throws IOException {
        StringBuilder sb = new StringBuilder("timestamp,events_per_second\n");
        for (int i = 0; i < rates.length; i++) {
            sb.append(Instant.parse("2024-01-01T00:00:00Z").plusSeconds(60L * i)).append(',').append(rates[i]).append('\n');
        }
        Path f = dir.resolve(name);
        Files.writeString(f, sb);
        return f;
    }

    /**
     * One rejected input. {@code where} is the file:line the message must name (a trace's or the job model's,
     * relative to the temp folder, or {@code default-job.conf:N} for the bundled default); {@code says} a fragment.
     */
    record Bad(String name, String[] rates, String job, String where, String says) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> rejected() {
        String[] small = {"1", "2", "3"};
        return Stream.of(
                new Bad("denormal peak scaled to 40 workers", new String[] {"0", "1e-320", "0"}, null, "t.csv:3", "target-peak-workers"),
                new Bad("denormal peak names the job key's line", new String[] {"1e-320", "0"}, "per-worker-eps = 1000\ntarget-peak-workers = 40\n",
                        "job.conf:2: target-peak-workers", "scale overflows"),
                new Bad("trace-scale 1e306", small, "target-peak-workers = 0\ntrace-scale = 1e306\n", "job.conf:2", "trace-scale: must be <= 1.0E12"),
                new Bad("trace-scale within range but events beyond 1e15", new String[] {"1", "5e6", "1"}, "target-peak-workers = 0\ntrace-scale = 1e10\n",
                        "t.csv:3", "job.conf:2: trace-scale"),
                new Bad("rates of 1e308 make the work bound Infinity", new String[] {"1e308", "1e308"}, "target-peak-workers = 0\n", "t.csv:2", "at most 1e15 events"),
                new Bad("metrics-delay-seconds 1e10", small, "metrics-delay-seconds = 1e10\n", "job.conf:1", "metrics-delay-seconds: must be <= 86400"),
                new Bad("signal window of 1e9 s", small, "\nsignal-window-seconds = 1e9\n", "job.conf:2", "signal-window-seconds"),
                new Bad("growth window of 1e9 s", small, "growth-window-seconds = 1e9\n", "job.conf:1", "growth-window-seconds"),
                new Bad("control interval of 1e10 s", small, "control-interval-seconds = 1e10\n", "job.conf:1", "control-interval-seconds"),
                new Bad("sub-step below a second", small, "sub-step-seconds = 0.5\n", "job.conf:1", "sub-step-seconds: must be >= 1"),
                new Bad("restart of 1e12 s", small, "restart-seconds = 1e12\n", "job.conf:1", "restart-seconds"),
                new Bad("checkpoint of 1e300 s", small, "checkpoint-interval-seconds = 1e300\n", "job.conf:1", "checkpoint-interval-seconds"),
                new Bad("max-parallelism beyond a million", small, "max-parallelism = 2000000000\n", "job.conf:1", "max-parallelism"),
                new Bad("max-parallelism beyond int", small, "max-parallelism = 1e12\n", "job.conf:1", "max-parallelism"),
                new Bad("fractional max-parallelism", small, "max-parallelism = 10.5\n", "job.conf:1", "whole number"),
                new Bad("per-worker-eps 1e300", small, "per-worker-eps = 1e300\n", "job.conf:1", "per-worker-eps"),
                new Bad("per-worker-eps infinite", small, "per-worker-eps = 1e400\n", "job.conf:1", "per-worker-eps"),
                new Bad("vcpu-per-worker 1e300", small, "vcpu-per-worker = 1e300\n", "job.conf:1", "vcpu-per-worker"),
                new Bad("sla of 1e300 s", small, "sla-latency-seconds = 1e300\n", "job.conf:1", "sla-latency-seconds"),
                new Bad("target-peak-workers beyond int", small, "target-peak-workers = 3e9\n", "job.conf:1", "target-peak-workers"),
                new Bad("tiny scaling exponent", small, "scaling-exponent = 0\n", "job.conf:1", "scaling-exponent"),
                new Bad("NaN as a job value", small, "trace-scale = NaN\n", "job.conf:1", "trace-scale"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void extremeInputIsAClearErrorNamingFileAndLine(Bad c) throws IOException {
        Path t = trace("t.csv", c.rates());
        Path job = null;
        if (c.job() != null) {
            job = dir.resolve("job.conf");
            Files.writeString(job, c.job());
        }
        Path j = job;
        Run r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> simulate(t, j));
        assertEquals(1, r.exit(), r.err() + r.out());
        String where = c.where().startsWith("default-job.conf") ? c.where() : dir.resolve(c.where()).toString();
        assertTrue(r.err().contains(where), "expected " + where + " in: " + r.err());
        assertTrue(r.err().contains(c.says()), "expected '" + c.says() + "' in: " + r.err());
        assertFalse(Files.exists(dir.resolve("o/summary.json")), "nothing written");
    }

    @Test
    void aJobModelWithSixBadKeysReportsAllSixWithTheirLines() throws IOException {
        Path t = trace("t.csv", "1", "2");
        Path job = dir.resolve("job.conf");
        Files.writeString(job, """
                per-worker-eps = 0
                restart-seconds = -1
                restart-secs = 3
                metrics-delay-seconds = 1e10
                overrides {
                  "t.csv" {
                    max-parallelism = 2.5
                    trace-scal = 1
                  }
                }
                """);
        Run r = simulate(t, job);
        assertEquals(1, r.exit(), r.err());
        for (int line : new int[] {1, 2, 3, 4, 7, 8}) {
            assertTrue(r.err().contains(job + ":" + line + ": "), "line " + line + " missing in: " + r.err());
        }
        assertTrue(r.err().contains("6 problems"), r.err());
    }

    @Test
    void rowsTwoToThe31SecondsApartAreRejectedAtOnce() throws IOException {
        Path t = dir.resolve("gap.csv");
        Files.writeString(t, "timestamp,events_per_second\n2000-01-01T00:00:00Z,1\n2068-01-19T03:14:07Z,1\n");
        Run r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> simulate(t, null));
        assertEquals(1, r.exit());
        assertTrue(r.err().contains(t + ":3:"), r.err());
    }

    @Test
    void aReplayOfMoreThanTheStepLimitNamesSubStep() throws IOException {
        StringBuilder sb = new StringBuilder("timestamp,events_per_second\n");
        for (int i = 0; i < 1200; i++) {
            sb.append(Instant.parse("2000-01-01T00:00:00Z").plusSeconds(86_400L * i)).append(",1\n");
        }
        Path t = dir.resolve("daily.csv");
        Files.writeString(t, sb);
        Path job = dir.resolve("job.conf");
        Files.writeString(job, "target-peak-workers = 0\nsub-step-seconds = 1\n");
        Run r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> simulate(t, job));
        assertEquals(1, r.exit());
        assertTrue(r.err().contains(t + ": replay of 1200 rows"), r.err());
        assertTrue(r.err().contains(job + ":2: sub-step-seconds"), r.err());
    }

    @Test
    void aTinyButNormalPeakIsScaledExactly() throws IOException {
        Run r = simulate(trace("t.csv", "0", "1e-300", "0"), null);
        assertEquals(0, r.exit(), r.err());
        JsonNode row = new ObjectMapper().readTree(dir.resolve("o/summary.json").toFile()).get(0);
        assertTrue(row.get("cost_ratio").isNumber(), row.toString());
        assertTrue(row.get("work_bound_vcpu_hours").asDouble() > 0, row.toString());
    }

    @Test
    void anAllZeroTraceHasANullCostRatioWithAReasonAndNoNaN() throws IOException {
        Run r = simulate(trace("t.csv", "0", "0", "0", "0"), null);
        assertEquals(0, r.exit(), r.err());
        String json = Files.readString(dir.resolve("o/summary.json"));
        assertFalse(json.contains("NaN") || json.contains("Infinity"), json);
        JsonNode row = new ObjectMapper().readTree(json).get(0);
        assertTrue(row.get("cost_ratio").isNull(), json);
        assertTrue(row.get("cost_ratio_undefined").asText().contains("work bound is 0"), json);
        assertEquals(0, row.get("work_bound_vcpu_hours").asDouble(), json);
        assertTrue(r.out().contains("n/a"), r.out());
        assertFalse(Files.readString(dir.resolve("o/report.html")).contains(">NaN<"));
    }

    @Test
    void aNumericCostRatioHasNoReasonField() throws IOException {
        Run r = simulate(trace("t.csv", "1", "2", "3"), null);
        assertEquals(0, r.exit(), r.err());
        JsonNode row = new ObjectMapper().readTree(dir.resolve("o/summary.json").toFile()).get(0);
        assertTrue(row.get("cost_ratio").isNumber(), row.toString());
        assertFalse(row.has("cost_ratio_undefined"), row.toString());
    }
}

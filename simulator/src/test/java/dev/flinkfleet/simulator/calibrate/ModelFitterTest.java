package dev.flinkfleet.simulator.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.simulator.model.JobModel;
import dev.flinkfleet.simulator.model.JobModelFile;

class ModelFitterTest {

    static final Path M2 = Path.of("src/main/resources/job-models/m2.conf");

    static JobHistory history(JobModel m, int[] sizes, double load, int stretchSeconds, int step, double scrape) {
        return ModelHistory.of(m, sizes, load, stretchSeconds, step, scrape, Instant.parse("2026-01-05T00:00:00Z"), 7);
    }

    static JobModel m2() {
        return JobModelFile.load(M2).modelFor("x.csv");
    }

    @Test
    void recoversTheModelThatMadeTheHistory() {
        JobModel m = m2();
        JobHistory h = history(m, new int[] {4, 8, 16, 6, 12, 24}, 1.3, 1800, 15, 15);
        Calibration c = ModelFitter.DEFAULT.fit(h);
        assertTrue(c.usable(), c.report());
        assertEquals(m.perWorkerEps(), c.get("per-worker-eps").orElseThrow().value(), 0.03 * m.perWorkerEps(), c.report());
        assertEquals(m.scalingExponent(), c.get("scaling-exponent").orElseThrow().value(), 0.02, c.report());
        assertEquals(m.restartSeconds(), c.get("restart-seconds").orElseThrow().value(), 15, c.report());
        assertTrue(c.get("restart-seconds").orElseThrow().evidence().startsWith("median of 5 restarts"), c.report());
        assertEquals(m.checkpointIntervalSeconds(), c.get("checkpoint-interval-seconds").orElseThrow().value(),
                0.1 * m.checkpointIntervalSeconds(), c.report());
        assertEquals(15, c.get("metrics-delay-seconds").orElseThrow().value(), 1e-9);
    }

    @Test
    void theModelFileItWritesLoadsWithTheFittedValues(@TempDir Path dir) throws Exception {
        JobHistory h = history(m2(), new int[] {4, 8}, 1.3, 1800, 15, 15);
        Calibration c = ModelFitter.DEFAULT.fit(h);
        Path f = dir.resolve("fitted.conf");
        Files.writeString(f, c.modelFile(List.of("fitted from probe")));
        JobModel loaded = JobModelFile.load(f).modelFor("x.csv");
        assertEquals(c.get("per-worker-eps").orElseThrow().value(), loaded.perWorkerEps(), 0.1);
        assertEquals(c.get("restart-seconds").orElseThrow().value(), loaded.restartSeconds(), 0.1);
        String text = Files.readString(f);
        assertTrue(text.contains("# fitted: log-log least squares"), text);
    }

    /** A history that cannot support a value, and what the refusal must say. */
    record Refusal(String name, UnaryOperator<JobHistory> damage, String key, String says) {
        @Override
        public String toString() {
            return name;
        }
    }

    static JobHistory busy() {
        return history(m2(), new int[] {4, 8}, 1.3, 1800, 15, 15);
    }

    static Stream<Refusal> refusals() {
        return Stream.of(
                new Refusal("never busy", h -> history(m2(), new int[] {8, 16}, 0.2, 1800, 15, 15), "per-worker-eps", "never ran busy"),
                new Refusal("one size", h -> history(m2(), new int[] {8}, 1.3, 3600, 15, 15), "scaling-exponent", "one size only"),
                new Refusal("no restart", h -> history(m2(), new int[] {8}, 1.3, 3600, 15, 15), "restart-seconds", "no restart of a busy job"),
                new Refusal("no checkpoints", h -> map(h, p -> new JobHistory.Point(p.at(), p.workers(), p.throughput(), p.busy(), p.restarts(), 7)),
                        "checkpoint-interval-seconds", "0 checkpoints completed"),
                new Refusal("scrape interval unknown", h -> new JobHistory(h.job(), h.stepSeconds(), Double.NaN, h.points()),
                        "metrics-delay-seconds", "scrape interval"));
    }

    static JobHistory map(JobHistory h, UnaryOperator<JobHistory.Point> f) {
        return new JobHistory(h.job(), h.stepSeconds(), h.scrapeIntervalSeconds(), h.points().stream().map(f).toList());
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusesWhatTheHistoryCannotSupport(Refusal r) {
        Calibration c = ModelFitter.DEFAULT.fit(r.damage().apply(busy()));
        Fit f = c.get(r.key()).orElseThrow();
        assertTrue(f.refused(), c.report());
        assertTrue(f.evidence().contains(r.says()), f.evidence());
        assertTrue(c.report().contains(r.key() + " ") && c.report().contains("not fitted"), c.report());
    }

    @Test
    void withoutACapacityNothingIsWorthWriting() {
        Calibration c = ModelFitter.DEFAULT.fit(history(m2(), new int[] {8, 16}, 0.2, 1800, 15, 15));
        assertFalse(c.usable());
    }
}

package dev.flinkfleet.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SignalsTest {

    static final JobRef JOB = new JobRef("ns", "job");
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void builderStartsWithEverythingMissing() {
        Signals s = Signals.builder(JOB, NOW).build();
        for (SignalKind k : SignalKind.values()) {
            assertEquals(Quality.MISSING, s.get(k).quality(), k.key());
        }
        assertEquals(1, s.currentWorkers());
        assertEquals(0, s.maxParallelism());
    }

    @Test
    void getAndAsMapAgreeForEveryKind() {
        Signals.Builder b = Signals.builder(JOB, NOW);
        for (SignalKind k : SignalKind.values()) {
            b.fresh(k, k.ordinal() + 1);
        }
        Signals s = b.workers(3).parallelism(6).maxParallelism(12).build();
        Map<SignalKind, Measurement> m = s.asMap();
        assertEquals(List.of(SignalKind.values()), List.copyOf(m.keySet()));
        for (SignalKind k : SignalKind.values()) {
            assertEquals(k.ordinal() + 1, s.get(k).value(), k.key());
            assertEquals(s.get(k), m.get(k));
        }
    }

    record QualityCase(String name, Set<SignalKind> kinds, Quality expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<QualityCase> qualities() {
        return Stream.of(
                new QualityCase("no kinds", Set.of(), Quality.FRESH),
                new QualityCase("fresh only", Set.of(SignalKind.CPU), Quality.FRESH),
                new QualityCase("fresh and stale", EnumSet.of(SignalKind.CPU, SignalKind.BACKLOG), Quality.STALE),
                new QualityCase("stale and missing", EnumSet.of(SignalKind.BACKLOG, SignalKind.THROUGHPUT), Quality.MISSING),
                new QualityCase("missing only", Set.of(SignalKind.WATERMARK_LAG), Quality.MISSING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("qualities")
    void worstQuality(QualityCase c) {
        Signals s = Signals.builder(JOB, NOW)
                .fresh(SignalKind.CPU, 0.5)
                .set(SignalKind.BACKLOG, Measurement.of(SignalKind.BACKLOG, 10, 120, 60))
                .build();
        assertEquals(c.expected(), s.worstQuality(c.kinds()));
    }

    record Invalid(String name, int workers, int parallelism, int maxParallelism, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Invalid> invalid() {
        return Stream.of(
                new Invalid("no workers", 0, 1, 0, "current workers"),
                new Invalid("no parallelism", 1, 0, 0, "current parallelism"),
                new Invalid("negative max parallelism", 1, 1, -1, "max parallelism"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsImpossibleDeploymentFactsNamingTheJob(Invalid c) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Signals.builder(JOB, NOW)
                .workers(c.workers()).parallelism(c.parallelism()).maxParallelism(c.maxParallelism()).build());
        assertTrue(e.getMessage().contains("ns/job"), e::getMessage);
        assertTrue(e.getMessage().contains(c.message()), e::getMessage);
    }

    @Test
    void signalKindKeysRoundTrip() {
        for (SignalKind k : SignalKind.values()) {
            assertEquals(k, SignalKind.fromKey(k.key()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SignalKind.fromKey("lag"));
        assertTrue(e.getMessage().contains("backlog"), e::getMessage);
    }
}

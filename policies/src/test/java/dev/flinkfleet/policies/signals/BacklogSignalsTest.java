package dev.flinkfleet.policies.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Quality;

class BacklogSignalsTest {

    static final Duration STALE_AFTER = Duration.ofSeconds(90);
    static final OffsetSettings SETTINGS = new OffsetSettings(Duration.ofSeconds(60), Duration.ofSeconds(60), 16, STALE_AFTER);
    static final JobRef JOB = new JobRef("ns", "j");
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    static OffsetObservation ok(Instant at, long end, long committed) {
        return OffsetObservation.ok(JOB, at, List.of(LagMath.partition("t", 0, end, committed, 0)));
    }

    @Test
    void plateauAgesTheBacklogUntilItIsStale() {
        BacklogSignals s = new BacklogSignals(SETTINGS);
        // Committed offset stops moving at T0 while input continues.
        for (int i = 0; i <= 8; i++) {
            Instant at = T0.plusSeconds(15L * i);
            s.update(Map.of(JOB, ok(at, 1_000 + 100L * i, 500)), at);
        }
        Instant now = T0.plusSeconds(15L * 8);
        BacklogSignals.KafkaMeasurements m = s.measurements(JOB, now, "");
        assertEquals(120, m.backlog().ageSeconds(), 1e-9, "as old as the last commit");
        assertEquals(Quality.STALE, m.backlog().quality());
        assertEquals(100 / 15.0, m.backlogGrowth().value(), 1e-9, "a long plateau grows at the input rate");
        assertEquals(Quality.STALE, m.backlogGrowth().quality());
        assertEquals(Quality.FRESH, m.inputRate().quality(), "log-end offsets are fresh every read");
    }

    @Test
    void failedReadKeepsAgeingTheLastValues() {
        BacklogSignals s = new BacklogSignals(SETTINGS);
        s.update(Map.of(JOB, ok(T0, 1_000, 1_000)), T0);
        Instant later = T0.plus(STALE_AFTER).plusSeconds(1);
        BacklogSignals.KafkaMeasurements m =
                s.update(Map.of(JOB, OffsetObservation.failed(JOB, later, "group g: timeout")), later).get(JOB);
        assertEquals("group g: timeout", m.failure());
        assertEquals(0, m.backlog().value(), 1e-9);
        assertEquals(Quality.STALE, m.backlog().quality());
    }

    @Test
    void unknownJobIsMissingNotZero() {
        BacklogSignals.KafkaMeasurements m = new BacklogSignals(SETTINGS).measurements(JOB, T0, "");
        assertTrue(m.backlog().isMissing());
        assertTrue(m.backlogGrowth().isMissing());
        assertTrue(m.inputRate().isMissing());
        assertEquals(0, m.maxParallelism());
    }

    @Test
    void drainingGivesNegativeFreshGrowth() {
        BacklogSignals s = new BacklogSignals(SETTINGS);
        long[] committed = {0, 3_000, 6_000};
        for (int i = 0; i < committed.length; i++) {
            Instant at = T0.plusSeconds(60L * i);
            s.update(Map.of(JOB, ok(at, 10_000 + 10L * 60 * i, committed[i])), at);
        }
        BacklogSignals.KafkaMeasurements m = s.measurements(JOB, T0.plusSeconds(120), "");
        assertEquals((10L * 60 - 3_000) / 60.0, m.backlogGrowth().value(), 1e-9);
        assertEquals(Quality.FRESH, m.backlogGrowth().quality());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "0, 0, 0", "1900, 1, 100000", "1100, 1, 900000", "5000, 3, 999999999", "-2995, 2, 7", "-1, 0, 0",
            "1700000000123, 1700000090, 987654321", "10999, 10, 1000000", "10001, 10, 999999"})
    void ageArithmeticIsDurationBetweenInWholeMilliseconds(long fromMillis, long toSecond, int toNano) {
        Instant to = Instant.ofEpochSecond(toSecond, toNano);
        assertEquals(Duration.between(Instant.ofEpochMilli(fromMillis), to).toMillis(), BacklogSignals.millisBetween(fromMillis, to));
    }

    @Test
    void forgottenJobsLoseTheirHistory() {
        BacklogSignals s = new BacklogSignals(SETTINGS);
        s.update(Map.of(JOB, ok(T0, 10, 5)), T0);
        s.retainOnly(java.util.Set.of());
        assertTrue(s.measurements(JOB, T0, "").backlog().isMissing());
    }
}

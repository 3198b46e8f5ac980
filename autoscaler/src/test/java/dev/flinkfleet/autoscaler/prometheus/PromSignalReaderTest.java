package dev.flinkfleet.autoscaler.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.SignalKind;

/** The reader against a hand-written fake of the query API: what reaches policies for each kind of answer. */
class PromSignalReaderTest {

    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
    private static final double NOW_S = NOW.getEpochSecond();
    private static final Duration STALE_AFTER = Duration.ofSeconds(60);
    private static final Duration LOOKBACK = Duration.ofMinutes(5);

    /** Answers by exact PromQL text; records every call. */
    static final class FakeQueries implements InstantQueries {
        final Map<String, List<InstantSeries>> answers = new HashMap<>();
        final Map<String, PrometheusException> failures = new HashMap<>();
        final List<String> calls = new ArrayList<>();
        final List<Instant> times = new ArrayList<>();

        @Override
        public synchronized CompletableFuture<List<InstantSeries>> queryAsync(String promql, Instant time) {
            calls.add(promql);
            times.add(time);
            if (failures.containsKey(promql)) {
                return CompletableFuture.failedFuture(failures.get(promql));
            }
            return CompletableFuture.completedFuture(answers.getOrDefault(promql, List.of()));
        }
    }

    private static InstantSeries series(String job, double value) {
        return new InstantSeries(job == null ? Map.of() : Map.of("job_name", job, "extra", "x"), new Sample(value, NOW_S));
    }

    private static PromQueries queries(SignalKind... kinds) {
        Map<SignalKind, String[]> t = new HashMap<>();
        for (SignalKind k : kinds) {
            t.put(k, new String[] {"value:" + k.key() + " by {{job_label}}", "time:" + k.key() + " by {{job_label}}"});
        }
        return PromQueries.render(t, new PromQueries.Vars("job_name", "", Duration.ofMinutes(2), Duration.ofSeconds(15)));
    }

    private static String v(SignalKind k) {
        return "value:" + k.key() + " by job_name";
    }

    private static String t(SignalKind k) {
        return "time:" + k.key() + " by job_name";
    }

    /**
     * @param value       the value query's answer for job "j" (null = no series)
     * @param sampleTime  the sample-time answer for "j" (null = no series)
     */
    record Case(String name, SignalKind kind, Double value, Double sampleTime, Quality quality, double expectValue, double expectAge) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("fresh value, age from the sample-time query", SignalKind.THROUGHPUT, 120.0, NOW_S - 7, Quality.FRESH, 120, 7),
                new Case("old sample is stale even though the query is instant", SignalKind.THROUGHPUT, 120.0, NOW_S - 90, Quality.STALE, 120, 90),
                new Case("no sample time for the job: worst case age, stale", SignalKind.BACKLOG, 5000.0, null, Quality.STALE, 5000, 300),
                new Case("sample time after the evaluation time is not trusted", SignalKind.BACKLOG, 5000.0, NOW_S + 30, Quality.STALE, 5000, 300),
                new Case("NaN is missing, not zero", SignalKind.CPU, Double.NaN, NOW_S, Quality.MISSING, Double.NaN, Double.POSITIVE_INFINITY),
                new Case("+Inf is missing", SignalKind.THROUGHPUT, Double.POSITIVE_INFINITY, NOW_S, Quality.MISSING, Double.NaN, Double.POSITIVE_INFINITY),
                new Case("negative throughput is missing", SignalKind.THROUGHPUT, -1.0, NOW_S, Quality.MISSING, Double.NaN, Double.POSITIVE_INFINITY),
                new Case("negative backlog growth is a real value", SignalKind.BACKLOG_GROWTH, -250.0, NOW_S - 1, Quality.FRESH, -250, 1),
                new Case("no series for the job is missing", SignalKind.WATERMARK_LAG, null, NOW_S, Quality.MISSING, Double.NaN, Double.POSITIVE_INFINITY),
                new Case("CPU jitter above 1 is clamped", SignalKind.CPU, 1.04, NOW_S - 2, Quality.FRESH, 1, 2),
                new Case("CPU far above 1 means wrong units: missing", SignalKind.CPU, 950.0, NOW_S - 2, Quality.MISSING, Double.NaN, Double.POSITIVE_INFINITY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void classifiesEachAnswer(Case c) {
        FakeQueries fake = new FakeQueries();
        if (c.value() != null) {
            fake.answers.put(v(c.kind()), List.of(series("j", c.value()), series("other", 1)));
        }
        if (c.sampleTime() != null) {
            fake.answers.put(t(c.kind()), List.of(series("j", c.sampleTime()), series("other", NOW_S)));
        }
        PromSnapshot snap = new PromSignalReader(fake, queries(c.kind()), "job_name", STALE_AFTER, LOOKBACK).read(NOW);
        Measurement m = snap.measurement(c.kind(), "j");

        assertEquals(c.quality(), m.quality(), m.toString());
        assertEquals(0, Double.compare(c.expectValue(), m.value()), "value " + m);
        assertEquals(c.expectAge(), m.ageSeconds(), 1e-6, "age " + m);
        assertEquals(Measurement.missing(), snap.measurement(c.kind(), "never-seen"));
    }

    @Test
    void oneValueAndOneTimeQueryPerSignalForAnyNumberOfJobs() {
        FakeQueries fake = new FakeQueries();
        List<InstantSeries> many = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            many.add(series("job-" + i, i));
        }
        SignalKind[] kinds = {SignalKind.THROUGHPUT, SignalKind.CPU, SignalKind.BACKLOG};
        for (SignalKind k : kinds) {
            fake.answers.put(v(k), many);
        }
        PromQueries q = queries(kinds);
        PromSnapshot snap = new PromSignalReader(fake, q, "job_name", STALE_AFTER, LOOKBACK).read(NOW);

        assertEquals(q.requestsPerCycle(), fake.calls.size());
        assertEquals(6, fake.calls.size());
        assertTrue(fake.times.stream().allMatch(NOW::equals), "every query evaluated at the same instant");
        assertEquals(500, snap.jobs().size());
        assertEquals(500, snap.signal(SignalKind.THROUGHPUT).size());
    }

    @Test
    void failedValueQueryLeavesOnlyThatSignalMissing() {
        FakeQueries fake = new FakeQueries();
        fake.failures.put(v(SignalKind.CPU), new PrometheusException(PrometheusException.Kind.TIMEOUT, v(SignalKind.CPU), "no answer in time"));
        fake.answers.put(v(SignalKind.THROUGHPUT), List.of(series("j", 10)));
        fake.answers.put(t(SignalKind.THROUGHPUT), List.of(series("j", NOW_S - 1)));

        PromSnapshot snap = new PromSignalReader(fake, queries(SignalKind.THROUGHPUT, SignalKind.CPU), "job_name", STALE_AFTER, LOOKBACK).read(NOW);

        assertTrue(snap.errors().get(SignalKind.CPU).contains("TIMEOUT"), snap.errors().toString());
        assertTrue(snap.measurement(SignalKind.CPU, "j").isMissing());
        assertTrue(snap.measurement(SignalKind.THROUGHPUT, "j").isFresh());
    }

    @Test
    void failedSampleTimeQueryMakesValuesStaleAndSaysSo() {
        FakeQueries fake = new FakeQueries();
        fake.answers.put(v(SignalKind.CPU), List.of(series("j", 0.3)));
        fake.failures.put(t(SignalKind.CPU), new PrometheusException(PrometheusException.Kind.HTTP_STATUS, t(SignalKind.CPU), "503"));

        PromSnapshot snap = new PromSignalReader(fake, queries(SignalKind.CPU), "job_name", STALE_AFTER, LOOKBACK).read(NOW);

        Measurement m = snap.measurement(SignalKind.CPU, "j");
        assertEquals(Quality.STALE, m.quality(), m.toString());
        assertTrue(snap.problems().stream().anyMatch(p -> p.startsWith("cpu sample-time query failed")), snap.problems().toString());
    }

    @Test
    void duplicateAndUnlabelledSeriesAreNotGuessedAt() {
        FakeQueries fake = new FakeQueries();
        fake.answers.put(v(SignalKind.THROUGHPUT), List.of(series("dup", 1), series("dup", 2), series(null, 3), series("ok", 4)));
        fake.answers.put(t(SignalKind.THROUGHPUT), List.of(series("dup", NOW_S), series("ok", NOW_S)));

        PromSnapshot snap = new PromSignalReader(fake, queries(SignalKind.THROUGHPUT), "job_name", STALE_AFTER, LOOKBACK).read(NOW);

        assertTrue(snap.measurement(SignalKind.THROUGHPUT, "dup").isMissing());
        assertEquals(4, snap.measurement(SignalKind.THROUGHPUT, "ok").value());
        assertEquals(2, snap.problems().size(), snap.problems().toString());
        assertTrue(snap.problems().get(0).contains("[dup]"), snap.problems().toString());
    }

    @Test
    void queryThatThrowsInsteadOfFailingTheFutureIsContained() {
        InstantQueries throwing = (promql, time) -> {
            throw new PrometheusException(PrometheusException.Kind.IO, promql, "refused");
        };
        PromSnapshot snap = new PromSignalReader(throwing, queries(SignalKind.CPU), "job_name", STALE_AFTER, LOOKBACK).read(NOW);
        assertTrue(snap.errors().containsKey(SignalKind.CPU));
        assertTrue(snap.jobs().isEmpty());
    }
}

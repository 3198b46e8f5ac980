package dev.flinkfleet.policies.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.policies.signals.BacklogSignals.KafkaMeasurements;
import dev.flinkfleet.policies.signals.MetricObservation.Sample;

class SignalMergerTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
    static final JobRef JOB = new JobRef("sec", "fw");

    /** Prometheus samples given as value and age in seconds; stale after 60 s. */
    static MetricObservation prom(Map<SignalKind, double[]> valuesAndAges) {
        Map<SignalKind, Sample> samples = new EnumMap<>(SignalKind.class);
        double nowSec = NOW.toEpochMilli() / 1000.0;
        valuesAndAges.forEach((k, va) -> samples.put(k, new Sample(va[0], nowSec - va[1])));
        return new MetricObservation(nowSec, 60, samples.get(SignalKind.THROUGHPUT), samples.get(SignalKind.CPU),
                samples.get(SignalKind.WATERMARK_LAG), samples.get(SignalKind.BACKLOG), samples.get(SignalKind.BACKLOG_GROWTH),
                samples.get(SignalKind.INPUT_RATE));
    }

    static KafkaMeasurements kafka(double backlog, double growth, double input, double age) {
        return new KafkaMeasurements(
                Measurement.of(SignalKind.BACKLOG, backlog, age, 180),
                Measurement.of(SignalKind.BACKLOG_GROWTH, growth, age, 180),
                Measurement.of(SignalKind.INPUT_RATE, input, age, 180), 24, "");
    }

    record Case(String name, KafkaMeasurements kafka, Map<SignalKind, double[]> prom,
                double backlog, double growth, double input, double backlogTime, Quality backlogTimeQuality) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Map<SignalKind, double[]> m(Object... kv) {
        Map<SignalKind, double[]> out = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put((SignalKind) kv[i], (double[]) kv[i + 1]);
        }
        return out;
    }

    static Stream<Case> cases() {
        double nan = Double.NaN;
        return Stream.of(
                // pendingRecords 6000 preferred over committed lag 9000; backlog time 6000 / 2000 = 3 s.
                new Case("pendingRecords wins over committed lag", kafka(9000, 50, 2100, 30),
                        m(SignalKind.BACKLOG, new double[] {6000, 5}, SignalKind.BACKLOG_GROWTH, new double[] {20, 5},
                                SignalKind.THROUGHPUT, new double[] {2000, 5}),
                        6000, 20, 2100, 3, Quality.FRESH),
                // No pendingRecords series: Kafka lag and its growth; 9000 / 3000 = 3 s, age max(30, 5) fresh.
                new Case("no pendingRecords: Kafka lag", kafka(9000, 50, 2100, 30),
                        m(SignalKind.THROUGHPUT, new double[] {3000, 5}),
                        9000, 50, 2100, 3, Quality.FRESH),
                // Prometheus backlog stale (90 s > 60 s) while Kafka's is fresh: Kafka wins.
                new Case("stale pendingRecords loses to fresh lag", kafka(9000, 50, 2100, 30),
                        m(SignalKind.BACKLOG, new double[] {6000, 90}, SignalKind.THROUGHPUT, new double[] {3000, 5}),
                        9000, 50, 2100, 3, Quality.FRESH),
                // Kafka input rate missing: Prometheus input rate used.
                new Case("input rate falls back to Prometheus", null,
                        m(SignalKind.BACKLOG, new double[] {0, 5}, SignalKind.INPUT_RATE, new double[] {1500, 5}),
                        0, nan, 1500, 0, Quality.FRESH),
                // Throughput stale (70 s): backlog time inherits STALE.
                new Case("backlog time as stale as throughput", kafka(9000, 0, 100, 10),
                        m(SignalKind.THROUGHPUT, new double[] {3000, 70}),
                        9000, 0, 100, 3, Quality.STALE),
                // Throughput NaN: backlog time unknown (never 0 or infinite).
                new Case("NaN throughput: backlog time missing", kafka(9000, 0, 100, 10),
                        m(SignalKind.THROUGHPUT, new double[] {nan, 5}),
                        9000, 0, 100, nan, Quality.MISSING),
                // Zero throughput with backlog: missing, the policy decides.
                new Case("zero throughput with backlog: missing", kafka(9000, 0, 100, 10),
                        m(SignalKind.THROUGHPUT, new double[] {0, 5}),
                        9000, 0, 100, nan, Quality.MISSING),
                // Nothing at all.
                new Case("nothing known", null, m(), nan, nan, nan, nan, Quality.MISSING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void merges(Case c) {
        Signals s = SignalMerger.merge(JOB, 4, 8, c.kafka(), prom(c.prom()), NOW);
        assertValue(c.backlog(), s.backlog(), "backlog");
        assertValue(c.growth(), s.backlogGrowth(), "growth");
        assertValue(c.input(), s.inputRate(), "input");
        assertValue(c.backlogTime(), s.backlogTime(), "backlog time");
        assertEquals(c.backlogTimeQuality(), s.backlogTime().quality(), "backlog time quality");
        assertEquals(4, s.currentWorkers());
        assertEquals(8, s.currentParallelism());
        assertEquals(c.kafka() == null ? 0 : 24, s.maxParallelism());
    }

    private static void assertValue(double expected, Measurement m, String what) {
        if (Double.isNaN(expected)) {
            assertEquals(Quality.MISSING, m.quality(), what + " should be missing: " + m);
        } else {
            assertEquals(expected, m.value(), 1e-9, what);
        }
    }
}

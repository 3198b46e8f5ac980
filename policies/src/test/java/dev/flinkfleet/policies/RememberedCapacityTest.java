package dev.flinkfleet.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Learning the per-worker capacity, its bounds, and its round trip through the governor state's string map. */
class RememberedCapacityTest {

    private static final JobRef JOB = new JobRef("team-a", "enrich");
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    /** A learning step: signals at NOW on top of a state; expected per-worker capacity, NaN for "nothing remembered". */
    record Learn(String name, GovernorState before, int workers, Measurement throughput, Measurement cpu, double expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Measurement fresh(double v) {
        return new Measurement(v, 0, Quality.FRESH);
    }

    private static GovernorState remembering(double perWorker) {
        return GovernorState.empty().withCapacity(new RememberedCapacity(perWorker, NOW.minusSeconds(60)));
    }

    static Stream<Learn> learning() {
        GovernorState none = GovernorState.empty();
        GovernorState rescaledJustNow = GovernorState.empty().afterScale(NOW.minusSeconds(60), 4, 8);
        GovernorState rescaledLongAgo = GovernorState.empty().afterScale(NOW.minus(RememberedCapacity.SETTLE_TIME).minusSeconds(1), 4, 8);
        return Stream.of(
                // 4 workers at CPU 0.5 process 2000/s: 2000 / (0.5 × 4) = 1000 per worker
                new Learn("first busy sample is taken as is", none, 4, fresh(2000), fresh(0.5), 1000),
                // 1000 + 0.3 × (2000 − 1000)
                new Learn("later samples are smoothed", remembering(1000), 4, fresh(4000), fresh(0.5), 1300),
                new Learn("CPU over 1 is read as 1", none, 4, fresh(2000), fresh(1.5), 500),
                new Learn("idle job learns nothing", none, 4, fresh(0), fresh(0.5), Double.NaN),
                new Learn("idle job keeps what it knew", remembering(800), 4, fresh(0), fresh(0), 800),
                new Learn("CPU below the learning floor learns nothing", none, 4, fresh(100), fresh(RememberedCapacity.MIN_LEARNING_CPU / 2), Double.NaN),
                new Learn("stale throughput learns nothing", none, 4, new Measurement(2000, 300, Quality.STALE), fresh(0.5), Double.NaN),
                new Learn("stale CPU learns nothing", remembering(700), 4, fresh(2000), new Measurement(0.5, 300, Quality.STALE), 700),
                new Learn("missing CPU learns nothing", none, 4, fresh(2000), Measurement.missing(), Double.NaN),
                new Learn("settling after a rescale learns nothing", rescaledJustNow.withCapacity(new RememberedCapacity(900, NOW.minusSeconds(600))),
                        8, fresh(2000), fresh(0.5), 900),
                new Learn("settled after a rescale learns again", rescaledLongAgo, 8, fresh(2000), fresh(0.5), 500),
                new Learn("absurd sample is clamped", none, 1, fresh(1e15), fresh(0.5), RememberedCapacity.MAX_PER_WORKER),
                new Learn("tiny sample is clamped", none, 100, fresh(1e-9), fresh(1), RememberedCapacity.MIN_PER_WORKER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("learning")
    void learnsOnlyFromTrustworthyBusySignals(Learn c) {
        Signals s = Signals.builder(JOB, NOW).workers(c.workers()).parallelism(c.workers())
                .set(SignalKind.THROUGHPUT, c.throughput()).set(SignalKind.CPU, c.cpu()).build();
        GovernorState after = RememberedCapacity.learn(c.before(), s, NOW);
        if (Double.isNaN(c.expected())) {
            assertNull(after.capacity());
            return;
        }
        assertEquals(c.expected(), after.capacity().perWorker(), 1e-9 * c.expected());
        // The cooldown memory is untouched.
        assertEquals(c.before().lastScaleAt(), after.lastScaleAt());
        assertEquals(c.before().history(), after.history());
        if (c.expected() != (c.before().capacity() == null ? Double.NaN : c.before().capacity().perWorker())) {
            assertEquals(NOW, after.capacity().learnedAt());
        } else {
            assertSame(c.before(), after);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, 0, -5, 1e-6, 1e10})
    void outOfBoundsCapacityCannotBeMade(double perWorker) {
        assertThrows(IllegalArgumentException.class, () -> new RememberedCapacity(perWorker, NOW));
    }

    @ParameterizedTest
    @ValueSource(doubles = {RememberedCapacity.MIN_PER_WORKER, 0.1234567890123, 1000, 123456.789, RememberedCapacity.MAX_PER_WORKER})
    void roundTripsThroughTheStringMap(double perWorker) {
        GovernorState s = GovernorState.empty()
                .afterScale(NOW.minusSeconds(900), 4, 8)
                .withSample(NOW.minusSeconds(30), 8, java.time.Duration.ofMinutes(5))
                .withCapacity(new RememberedCapacity(perWorker, NOW));
        GovernorState back = GovernorState.fromMap(s.toMap());
        assertEquals(s, back);
        assertEquals(perWorker, back.capacity().perWorker());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "garbage", "1000", "@1714564800", "abc@1714564800", "1000@abc", "NaN@1714564800",
            "Infinity@1714564800", "-1@1714564800", "0@1714564800", "1e12@1714564800", "1000@99999999999999999999",
            "1000@1714564800@5"})
    void garbageCapacityIsForgottenAndTheRestKept(String value) {
        Map<String, String> m = new LinkedHashMap<>(GovernorState.empty().afterScale(NOW, 2, 4).toMap());
        m.put(GovernorState.KEY_CAPACITY, value);
        GovernorState s = GovernorState.fromMap(m);
        assertNull(s.capacity());
        assertEquals(NOW, s.lastScaleUpAt());
        assertEquals(List.of(), s.history());
    }

    @org.junit.jupiter.api.Test
    void contextCarriesTheMemory() {
        assertSame(PolicyContext.NONE, PolicyContext.of(GovernorState.empty()));
        RememberedCapacity c = new RememberedCapacity(5, NOW);
        assertEquals(new PolicyContext(c), PolicyContext.of(GovernorState.empty().withCapacity(c)));
    }
}

package dev.flinkfleet.simulator.operator;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The library really decides, on the simulated clock: it follows a step up in input, and shrinks after a long quiet period. */
class OperatorAutoscalerBaselineTest {

    @Test
    void stepUpInInputLeadsToAScaleUpWithItsReport() {
        // An hour at half the 4 workers' capacity (inside the library's utilization band), then 8,000 ev/s.
        List<Replays.Rescale> rescales = Replays.rescales(Replays.trace(new int[] {60, 90}, new double[] {2000, 8000}));

        assertFalse(rescales.isEmpty(), "no rescale at all");
        Replays.Rescale first = rescales.get(0);
        Replays.Rescale last = rescales.get(rescales.size() - 1);
        Duration afterStep = Duration.between(Replays.START.plus(Duration.ofMinutes(60)), first.at());
        assertAll(
                () -> assertTrue(!afterStep.isNegative() && afterStep.compareTo(Duration.ofMinutes(5)) <= 0,
                        "first rescale " + afterStep + " after the step: " + rescales),
                () -> assertTrue(first.from() == 4 && first.to() > 4, rescales::toString),
                () -> assertTrue(first.report().contains("Parallelism 4 -> " + first.to()), first.report()),
                () -> assertTrue(rescales.stream().allMatch(r -> r.to() > r.from()), "only scale-ups: " + rescales),
                // 8,000 ev/s at the default target utilization 0.7 needs 11.4 workers; 64 partitions align it to 16.
                () -> assertEquals(16, last.to(), rescales::toString),
                // After each restart the library waits out its stabilization interval (5 min) and a full metric
                // window (15 min), timed on the simulated clock.
                () -> assertTrue(rescales.size() < 2 || !Duration.between(first.at(), rescales.get(1).at()).minusMinutes(20).isNegative(),
                        "second rescale less than 20 min after the first: " + rescales));
    }

    @Test
    void longQuietPeriodLeadsToADelayedScaleDown() {
        // An hour at 2,000 ev/s on 4 workers (no change), then four hours at 100 ev/s.
        List<Replays.Rescale> rescales = Replays.rescales(Replays.trace(new int[] {60, 240}, new double[] {2000, 100}));

        assertFalse(rescales.isEmpty(), "no scale-down in four quiet hours");
        Replays.Rescale first = rescales.get(0);
        Duration afterQuiet = Duration.between(Replays.START.plus(Duration.ofMinutes(60)), first.at());
        assertAll(
                // The default scale-down.interval (1 h) holds a scale-down back from its first trigger, timed on the
                // simulated clock; the max scale-down factor 0.6 limits one step to 4 -> 2.
                () -> assertTrue(afterQuiet.compareTo(Duration.ofHours(1)) >= 0 && afterQuiet.compareTo(Duration.ofMinutes(90)) <= 0,
                        "first scale-down " + afterQuiet + " after the quiet began: " + rescales),
                () -> assertEquals(2, first.to(), rescales::toString),
                () -> assertTrue(first.report().contains("Parallelism 4 -> 2"), first.report()),
                () -> assertTrue(rescales.stream().allMatch(r -> r.to() < r.from()), "only scale-downs: " + rescales));
    }
}

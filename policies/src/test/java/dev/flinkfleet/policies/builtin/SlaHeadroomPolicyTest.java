package dev.flinkfleet.policies.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

class SlaHeadroomPolicyTest {

    private static final double NA = Double.NaN;

    /**
     * Defaults except a target of 0.8 (round numbers): scale up above 1, scale down for a saving of at least 0.2; budget = 300 − 60 − 60
     * = 180 s; a rescale leaves backlog + input × (60 + 30). needed = max(input / 0.8, backlog-after / 180).
     * Most cases use 4 workers, throughput 1000, CPU 0.5: 500 per worker, capacity 2000.
     */
    private static final ScalingPolicy POLICY = Fixtures.policy("sla-headroom", "target-utilization = 0.8");

    record Case(String name, int workers, double input, double throughput, double backlog, double growth, double cpu,
                double ageSeconds, int expected, ReasonCode reason) {
    }

    static Stream<Case> cases() {
        return Stream.of(
                // util 0.8; needed max(2000, 1600 × 90 / 180 = 800) = 2000 → 4
                new Case("on target holds", 4, 1600, 1000, 0, 0, 0.5, 0, 4, ReasonCode.HOLD_IN_RANGE),
                // util 1 is not above the trigger; sized 2500 / 500 = 5, but no trigger, so hold
                new Case("at the scale-up trigger holds", 4, 2000, 1000, 0, 0, 0.5, 0, 4, ReasonCode.HOLD_IN_RANGE),
                // util 1.05; needed max(2625, 1050) → 5.25 → 6
                new Case("just over the trigger scales up", 4, 2100, 1000, 0, 0, 0.5, 0, 6, ReasonCode.SCALE_UP_UTILIZATION),
                // util 2; needed max(5000, 4000 × 90 / 180 = 2000) = 5000 → 10 in one step
                new Case("a surge scales up in one step", 4, 4000, 1000, 0, 0, 0.5, 0, 10, ReasonCode.SCALE_UP_UTILIZATION),
                // util 0.5 but backlog time 400000 / 2000 = 200 > 180; needed (400000 + 90000) / 180 = 2722.2 → 5.44 → 6
                new Case("backlog over the budget scales up", 4, 1000, 1000, 400000, 0, 0.5, 0, 6, ReasonCode.SCALE_UP_BACKLOG),
                // catch-up after a restart: CPU 1, throughput 2000 = capacity (500 per worker), backlog time
                // 300000 / 2000 = 150 <= 180 and util 0.5: holds although a rescale would size (300000 + 90000) / 180 → 5
                new Case("catch-up at CPU 100 % holds", 4, 1000, 2000, 300000, -1000, 1.0, 0, 4, ReasonCode.HOLD_IN_RANGE),
                // capacity 2000, input 3000: 30 s old backlog 500000 has grown by 1000 × 120 = 120000 since;
                // needed (620000 + 270000) / 180 = 4944.4 → 9.89 → 10 (without the age: 4277.8 → 9)
                new Case("growing backlog projected over the signal age", 4, 3000, 2000, 500000, 1000, 1.0, 120, 10, ReasonCode.SCALE_UP_UTILIZATION),
                new Case("same without age", 4, 3000, 2000, 500000, 1000, 1.0, 0, 9, ReasonCode.SCALE_UP_UTILIZATION),
                // 10 workers, 200 per worker, capacity 2000; util 0.5; needed max(1250, 500) → 6.25 → 7, saves 0.3
                new Case("worthwhile saving scales down", 10, 1000, 1000, 0, 0, 0.5, 0, 7, ReasonCode.SCALE_DOWN_UTILIZATION),
                // needed 1600 → 8, saves exactly 0.2
                new Case("saving at the minimum scales down", 10, 1280, 1000, 0, 0, 0.5, 0, 8, ReasonCode.SCALE_DOWN_UTILIZATION),
                // needed 1750 → 8.75 → 9, saves 0.1 < 0.2
                new Case("small saving holds", 10, 1400, 1000, 0, 0, 0.5, 0, 10, ReasonCode.HOLD_IN_RANGE),
                // backlog 300000: needed max(1250, 390000 / 180 = 2166.7) → 10.8 → 11 > 10 but backlog time 150 s
                // is within the budget: no trigger, hold
                new Case("backlog blocks a scale-down", 10, 1000, 1000, 300000, 0, 0.5, 0, 10, ReasonCode.HOLD_IN_RANGE),
                // CPU 0.0025 read as 0.05: 100 / (0.05 × 40) = 50 per worker; needed max(125, 50) → 2.5 → 3
                new Case("near-idle CPU read as 0.05 still shrinks", 40, 100, 100, 0, 0, 0.0025, 0, 3, ReasonCode.SCALE_DOWN_UTILIZATION),
                new Case("CPU zero read as 0.05", 40, 100, 100, 0, 0, 0, 0, 3, ReasonCode.SCALE_DOWN_UTILIZATION),
                new Case("CPU missing holds", 4, 4000, 1000, 0, 0, NA, 0, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("throughput zero holds", 4, 4000, 0, 0, 0, 0.5, 0, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("throughput missing holds", 4, 4000, NA, 0, 0, 0.5, 0, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                // input estimated 1000 + 3000 = 4000, as "a surge"
                new Case("input missing estimated from growth to scale up", 4, NA, 1000, 0, 3000, 0.5, 0, 10, ReasonCode.SCALE_UP_UTILIZATION),
                // estimate 1000 + 0 → would be 7 as "worthwhile saving"
                new Case("input missing never scales down", 10, NA, 1000, 0, 0, 0.5, 0, 10, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("input and growth missing holds", 4, NA, 1000, 0, NA, 0.5, 0, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                // backlog taken as 0: as "a surge"
                new Case("backlog missing still scales up", 4, 4000, 1000, NA, 0, 0.5, 0, 10, ReasonCode.SCALE_UP_UTILIZATION),
                new Case("backlog missing never scales down", 10, 1000, 1000, NA, 0, 0.5, 0, 10, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("backlog missing in range holds as insufficient", 4, 1600, 1000, NA, 0, 0.5, 0, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void recommends(Case c) {
        Recommendation r = POLICY.recommend(signals(c));
        assertEquals(c.reason(), r.reason(), r.explanation());
        assertEquals(c.expected(), r.targetWorkers(), r.explanation());
        assertFalse(r.explanation().isBlank());
    }

    /** As {@link Fixtures#signals}, with every signal {@code ageSeconds} old. */
    private static Signals signals(Case c) {
        Signals.Builder b = Signals.builder(Fixtures.JOB, Fixtures.NOW).workers(c.workers()).parallelism(c.workers());
        set(b, SignalKind.INPUT_RATE, c.input(), c.ageSeconds());
        set(b, SignalKind.THROUGHPUT, c.throughput(), c.ageSeconds());
        set(b, SignalKind.BACKLOG, c.backlog(), c.ageSeconds());
        set(b, SignalKind.BACKLOG_GROWTH, c.growth(), c.ageSeconds());
        set(b, SignalKind.CPU, c.cpu(), c.ageSeconds());
        return b.build();
    }

    private static void set(Signals.Builder b, SignalKind k, double v, double age) {
        b.set(k, Measurement.of(k, v, age, Double.POSITIVE_INFINITY));
    }

    @Test
    void inputsNameTheNumbersUsed() {
        // as "backlog over the budget scales up"
        Recommendation r = POLICY.recommend(Fixtures.signals(4, 1000, 1000, 400000, 0, NA, 0.5));
        assertEquals(500.0, r.inputs().get("per-worker-rate"), 1e-9);
        assertEquals(200.0, r.inputs().get("backlog-time"), 1e-9);
        assertEquals(180.0, r.inputs().get("latency-budget"), 1e-9);
        assertEquals(490000.0, r.inputs().get("backlog-after-rescale"), 1e-9);
        assertEquals(490000.0 / 180, r.inputs().get("needed-rate"), 1e-9);
    }

    @Test
    void noRestartCostSizesForTheBacklogAlone() {
        // budget 300 − 0 − 60 = 240; backlog time 600000 / 2000 = 300 > 240; needed max(1250, 600000 / 240 = 2500) → 5
        ScalingPolicy p = Fixtures.policy("sla-headroom", "target-utilization = 0.8, restart-time = 0s, checkpoint-interval = 0s");
        Recommendation r = p.recommend(Fixtures.signals(4, 1000, 1000, 600000, 0, NA, 0.5));
        assertEquals(ReasonCode.SCALE_UP_BACKLOG, r.reason(), r.explanation());
        assertEquals(5, r.targetWorkers(), r.explanation());
    }

    @Test
    void widerSlaLeavesRoomForTheBacklog() {
        // as "backlog over the budget", but budget 600 − 60 − 60 = 480 > backlog time 200; needed
        // max(1250, 490000 / 480 = 1020.8) → 2.5 → 3 workers, saving 0.25: where the default scales up, this shrinks
        ScalingPolicy p = Fixtures.policy("sla-headroom", "target-utilization = 0.8, sla-latency = 10m");
        Recommendation r = p.recommend(Fixtures.signals(4, 1000, 1000, 400000, 0, NA, 0.5));
        assertEquals(ReasonCode.SCALE_DOWN_UTILIZATION, r.reason(), r.explanation());
        assertEquals(3, r.targetWorkers(), r.explanation());
    }

    @Test
    void lowerTriggerScalesUpBeforeTheBacklogGrows() {
        // util 0.95 > 0.9: needed max(2375, 950) → 4.75 → 5 (the default trigger of 1 holds here)
        ScalingPolicy p = Fixtures.policy("sla-headroom", "target-utilization = 0.8, scale-up-utilization = 0.9");
        assertEquals(5, p.recommend(Fixtures.signals(4, 1900, 1000, 0, 0, NA, 0.5)).targetWorkers());
        assertEquals(4, POLICY.recommend(Fixtures.signals(4, 1900, 1000, 0, 0, NA, 0.5)).targetWorkers());
    }

    @Test
    void defaultTargetLeavesMoreHeadroom() {
        // default target 0.7: a surge to 4000 needs 4000 / 0.7 = 5714.3 → 11.43 → 12 (10 at 0.8)
        ScalingPolicy p = Fixtures.policy("sla-headroom", "");
        assertEquals(12, p.recommend(Fixtures.signals(4, 4000, 1000, 0, 0, NA, 0.5)).targetWorkers());
    }

    @Test
    void scaleDownNeedsMeasuredInputBacklogThroughputAndCpu() {
        assertEquals(Set.of(SignalKind.INPUT_RATE, SignalKind.THROUGHPUT, SignalKind.CPU, SignalKind.BACKLOG), POLICY.requiredSignals());
    }
}

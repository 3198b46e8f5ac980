package dev.flinkfleet.policies.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;

class TargetUtilizationPolicyTest {

    private static final double NA = Double.NaN;

    /**
     * Defaults: target 0.7 ± 0.15, catch-up 300 s, restart 60 s. So needed = input/0.7 + backlog/300 + input×0.2.
     * Most cases use 4 workers, throughput 1000, CPU 0.5: per-worker rate 1000/(0.5×4) = 500, capacity 2000.
     */
    private static final ScalingPolicy POLICY = Fixtures.policy("target-utilization", "");

    record Case(String name, int workers, double input, double throughput, double backlog, double growth, double cpu,
                int expected, ReasonCode reason) {
    }

    static Stream<Case> cases() {
        return Stream.of(
                // util 1400/2000 = 0.7, backlog 0
                new Case("on target holds", 4, 1400, 1000, 0, 0, 0.5, 4, ReasonCode.HOLD_IN_RANGE),
                // util 1700/2000 = 0.85 = 0.7 + 0.15, edge of the band
                new Case("upper band edge holds", 4, 1700, 1000, 0, 0, 0.5, 4, ReasonCode.HOLD_IN_RANGE),
                // util 0.9; needed 1800/0.7 + 0 + 1800×60/300 = 2571.43 + 360 = 2931.43; /500 = 5.86 → 6
                new Case("over the band scales up", 4, 1800, 1000, 0, 0, 0.5, 6, ReasonCode.SCALE_UP_UTILIZATION),
                // 10 workers, tp 1000, CPU 0.5: per worker 200, capacity 2000. util 1100/2000 = 0.55, lower edge
                new Case("lower band edge holds", 10, 1100, 1000, 0, 0, 0.5, 10, ReasonCode.HOLD_IN_RANGE),
                // util 0.54; needed 1080/0.7 + 1080×0.2 = 1542.86 + 216 = 1758.86; /200 = 8.79 → 9
                new Case("just under the band scales down", 10, 1080, 1000, 0, 0, 0.5, 9, ReasonCode.SCALE_DOWN_UTILIZATION),
                // per worker 250/(0.2×10) = 125; util 250/1250 = 0.2; needed 357.14 + 50 = 407.14; /125 = 3.26 → 4
                new Case("idle job scales down", 10, 250, 250, 0, 0, 0.2, 4, ReasonCode.SCALE_DOWN_UTILIZATION),
                // util 0.7 but spare 600/s drains 600000 in 1000 s > 300 s;
                // needed 2000 + 600000/300 + 280 = 4280; /500 = 8.56 → 9
                new Case("backlog not draining in time scales up", 4, 1400, 1000, 600000, 0, 0.5, 9, ReasonCode.SCALE_UP_UTILIZATION),
                // spare 600/s drains 150000 in 250 s <= 300 s
                new Case("backlog draining in time holds", 4, 1400, 1000, 150000, 0, 0.5, 4, ReasonCode.HOLD_IN_RANGE),
                // input estimated 1000 + 800 = 1800: as "over the band", 6
                new Case("input missing estimated from growth to scale up", 4, NA, 1000, 0, 800, 0.5, 6, ReasonCode.SCALE_UP_UTILIZATION),
                // negative input rate is unusable → missing → estimate 1800 → 6
                new Case("negative input rate is missing", 4, -5, 1000, 0, 800, 0.5, 6, ReasonCode.SCALE_UP_UTILIZATION),
                // estimate 250 + 0 = 250 → would be 4 (as "idle job"), but a scale-down needs a measured input
                new Case("input missing never scales down", 10, NA, 250, 0, 0, 0.2, 10, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("input and growth missing holds", 4, NA, 1000, 0, NA, 0.5, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                // backlog taken as 0: needed 2931.43 → 6, a lower bound, so the scale-up stands
                new Case("backlog missing still scales up", 4, 1800, 1000, NA, 0, 0.5, 6, ReasonCode.SCALE_UP_UTILIZATION),
                // would be 4 as "idle job"
                new Case("backlog missing never scales down", 10, 250, 250, NA, 0, 0.2, 10, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                // in band, but an unknown backlog might not drain
                new Case("backlog missing in band holds as insufficient", 4, 1400, 1000, NA, 0, 0.5, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("CPU under 0.05 untrusted", 4, 1400, 1000, 0, 0, 0.04, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                // per worker 50/(0.05×1) = 1000; util 0.05; needed 71.43 + 10 = 81.43; /1000 → 1 = current
                new Case("CPU exactly 0.05 trusted", 1, 50, 50, 0, 0, 0.05, 1, ReasonCode.HOLD_IN_RANGE),
                new Case("CPU missing holds", 4, 1400, 1000, 0, 0, NA, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("throughput zero holds", 4, 1400, 0, 0, 0, 0.5, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("throughput NaN holds", 4, 1400, NA, 0, 0, 0.5, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                // per worker 1000/(1×2) = 500, capacity 1000, input 5000: no spare, backlog 1e6 never drains;
                // needed 5000/0.7 + 1e6/300 + 1000 = 7142.86 + 3333.33 + 1000 = 11476.19; /500 = 22.95 → 23
                new Case("saturated job with backlog scales up", 2, 5000, 1000, 1e6, 4000, 1.0, 23, ReasonCode.SCALE_UP_UTILIZATION));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void recommends(Case c) {
        Recommendation r = POLICY.recommend(Fixtures.signals(c.workers(), c.input(), c.throughput(), c.backlog(), c.growth(), NA, c.cpu()));
        assertEquals(c.reason(), r.reason(), r.explanation());
        assertEquals(c.expected(), r.targetWorkers(), r.explanation());
        assertFalse(r.explanation().isBlank());
    }

    @Test
    void inputsNameTheNumbersUsed() {
        // as "over the band scales up"
        Recommendation r = POLICY.recommend(Fixtures.signals(4, 1800, 1000, 0, 0, NA, 0.5));
        assertEquals(500.0, r.inputs().get("per-worker-rate"), 1e-9);
        assertEquals(0.9, r.inputs().get("utilization"), 1e-9);
        assertEquals(1800 / 0.7 + 360, r.inputs().get("needed-rate"), 1e-9);
    }

    @Test
    void estimatedInputNeverNegative() {
        // growth -2000 with throughput 1000 would estimate -1000/s; clamped to 0
        Recommendation r = POLICY.recommend(Fixtures.signals(4, NA, 1000, 0, -2000, NA, 0.5));
        assertEquals(0.0, r.inputs().get("input-rate"));
    }

    @Test
    void restartTimeZeroDropsTheRestartTerm() {
        // needed 1800/0.7 = 2571.43; /500 = 5.14 → 6 still; with input 1750: 2500/500 = 5 exactly
        ScalingPolicy p = Fixtures.policy("target-utilization", "restart-time = 0s");
        assertEquals(5, p.recommend(Fixtures.signals(4, 1750, 1000, 0, 0, NA, 0.5)).targetWorkers());
    }

    @Test
    void scaleDownNeedsAMeasuredInputRate() {
        assertEquals(Set.of(SignalKind.INPUT_RATE, SignalKind.THROUGHPUT, SignalKind.CPU, SignalKind.BACKLOG), POLICY.requiredSignals());
    }
}

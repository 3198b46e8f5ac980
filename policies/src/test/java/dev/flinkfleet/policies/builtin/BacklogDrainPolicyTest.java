package dev.flinkfleet.policies.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

class BacklogDrainPolicyTest {

    private static final double NA = Double.NaN;

    /** Defaults: up at backlog time > 120 s or CPU > 0.9, drain in 60 s; down at CPU < 0.7, growth <= 0, backlog time < 10 s; target CPU 0.7. */
    private static final ScalingPolicy POLICY = Fixtures.policy("backlog-drain", "");

    record Case(String name, int workers, double throughput, double backlog, double growth, double backlogTime,
                double cpu, int expected, ReasonCode reason) {
    }

    static Stream<Case> cases() {
        return Stream.of(
                // require 10×(200+1000)/1000 = 12, extra 10×300/60 = 50, ceil(62) = 62
                new Case("backlog time over threshold scales up", 10, 1000, NA, 200, 300, 0.5, 62, ReasonCode.SCALE_UP_BACKLOG),
                // 120 is not > 120; CPU 0.8 is between the thresholds
                new Case("backlog time exactly at threshold holds", 10, 1000, NA, 0, 120, 0.8, 10, ReasonCode.HOLD_IN_RANGE),
                // require 10, extra 10×120.5/60 = 20.083, ceil(30.083) = 31
                new Case("backlog time just over threshold scales up", 10, 1000, NA, 0, 120.5, 0.8, 31, ReasonCode.SCALE_UP_BACKLOG),
                // require 4×(0+1000)/1000 = 4, extra 4×3/60 = 0.2, ceil(4.2) = 5
                new Case("CPU over threshold scales up", 4, 1000, NA, 0, 3, 0.95, 5, ReasonCode.SCALE_UP_CPU),
                // 0.9 is not > 0.9, and not < 0.7
                new Case("CPU exactly at threshold holds", 4, 1000, NA, 0, 3, 0.9, 4, ReasonCode.HOLD_IN_RANGE),
                // require 2×(100+500)/500 = 2.4, extra 2×150/60 = 5, ceil(7.4) = 8; backlog trigger named first
                new Case("both triggers name the backlog", 2, 500, NA, 100, 150, 0.95, 8, ReasonCode.SCALE_UP_BACKLOG),
                // require 10×(-500+1000)/1000 = 5, extra 10×6/60 = 1, 6 < 10: never below current, so hold
                new Case("hot CPU while draining fast holds", 10, 1000, NA, -500, 6, 0.95, 10, ReasonCode.HOLD_IN_RANGE),
                // backlog time = 30000/100 = 300; require 5, extra 5×300/60 = 25, ceil(30) = 30
                new Case("backlog time derived from backlog and throughput", 5, 100, 30000, 0, NA, 0.5, 30, ReasonCode.SCALE_UP_BACKLOG),
                // BACKLOG_TIME wins over backlog/throughput (5000/1000 = 5): require 10, extra 10×130/60 = 21.667, ceil(31.667) = 32
                new Case("measured backlog time preferred over derived", 10, 1000, 5000, 0, 130, 0.5, 32, ReasonCode.SCALE_UP_BACKLOG),
                // negative backlog time is unusable → missing; derived 500/1000 = 0.5 s; down: 10×0.35/0.7 = 5
                new Case("negative backlog time falls back to derived", 10, 1000, 500, 0, -1, 0.35, 5, ReasonCode.SCALE_DOWN_CPU),
                // CPU missing, backlog trigger alone: require 3, extra 3×200/60 = 10, 13
                new Case("CPU missing still scales up on backlog", 3, 1000, NA, 0, 200, NA, 13, ReasonCode.SCALE_UP_BACKLOG),
                // growth missing taken as 0: require 3, extra 10, 13
                new Case("growth missing taken as zero on scale-up", 3, 1000, NA, NA, 200, 0.5, 13, ReasonCode.SCALE_UP_BACKLOG),
                // backlog time missing, CPU trigger alone: require 2×(50+100)/100 = 3, extra 0, 3
                new Case("backlog time missing still scales up on CPU", 2, 100, NA, 50, NA, 0.97, 3, ReasonCode.SCALE_UP_CPU),
                // require 4×(0+1000)/1000 = 4 with growth unknown, extra 4×0/60 = 0: 4 is only a lower bound
                new Case("hot CPU with growth missing sizing to current holds", 4, 1000, NA, NA, 0, 0.95, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                // 10×0.35/0.7 = 5 (4.9999... in doubles)
                new Case("low CPU scales down", 10, 1000, NA, 0, 5, 0.35, 5, ReasonCode.SCALE_DOWN_CPU),
                // 10×0.56/0.7 = 8 (8.000000000000002 in doubles; must not round up to 9)
                new Case("scale-down rounding noise ignored", 10, 1000, NA, -10, 5, 0.56, 8, ReasonCode.SCALE_DOWN_CPU),
                // 10×0.69/0.7 = 9.857, ceil 10 = current
                new Case("CPU just under threshold sizes to current", 10, 1000, NA, 0, 5, 0.69, 10, ReasonCode.HOLD_IN_RANGE),
                // 0.7 is not < 0.7
                new Case("CPU exactly at scale-down threshold holds", 10, 1000, NA, 0, 5, 0.7, 10, ReasonCode.HOLD_IN_RANGE),
                // growth 1 > 0
                new Case("growing backlog blocks scale-down", 10, 1000, NA, 1, 5, 0.35, 10, ReasonCode.HOLD_IN_RANGE),
                // 10 is not < 10
                new Case("backlog time at scale-down threshold blocks it", 10, 1000, NA, 0, 10, 0.35, 10, ReasonCode.HOLD_IN_RANGE),
                // 3×0.01/0.7 = 0.043, ceil 1
                new Case("scale-down never below one worker", 3, 10, NA, -5, 0, 0.01, 1, ReasonCode.SCALE_DOWN_CPU),
                new Case("throughput missing holds", 4, NA, 1e6, 100, 500, 0.99, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("throughput zero holds", 4, 0, 1e6, 100, 500, 0.99, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("negative throughput is missing", 4, -5, 1e6, 100, 500, 0.99, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                // CPU unknown: could be > 0.9, and a scale-down is blind
                new Case("CPU missing with small backlog holds", 10, 1000, NA, 0, 5, NA, 10, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                // NaN and infinite CPU become missing
                new Case("infinite CPU is missing", 10, 1000, NA, 0, 5, Double.POSITIVE_INFINITY, 10, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                // everything else says scale down; growth unknown must not allow it
                new Case("growth missing blocks scale-down", 10, 1000, NA, NA, 5, 0.35, 10, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                // CPU 0.8 already rules out scale-down, and nothing fires: growth is not needed
                new Case("growth missing irrelevant when CPU rules out scale-down", 10, 1000, NA, NA, 50, 0.8, 10, ReasonCode.HOLD_IN_RANGE),
                // no backlog time and no backlog: could be > 120 s
                new Case("backlog and backlog time missing holds", 10, 1000, NA, 0, NA, 0.8, 10, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("infinite backlog time is missing", 10, 1000, NA, 0, Double.POSITIVE_INFINITY, 0.8, 10, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                // -inf growth is unusable → missing; scale-down blocked
                new Case("infinite negative growth is missing", 10, 1000, NA, Double.NEGATIVE_INFINITY, 5, 0.35, 10, ReasonCode.HOLD_INSUFFICIENT_SIGNALS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void recommends(Case c) {
        Recommendation r = POLICY.recommend(Fixtures.signals(c.workers(), NA, c.throughput(), c.backlog(), c.growth(), c.backlogTime(), c.cpu()));
        assertEquals(c.reason(), r.reason(), r.explanation());
        assertEquals(c.expected(), r.targetWorkers(), r.explanation());
        assertEquals(c.workers(), r.inputs().get("current-workers"));
        assertFalse(r.explanation().isBlank());
    }

    @Test
    void scaleUpExplainsItsArithmetic() {
        Recommendation r = POLICY.recommend(Fixtures.signals(10, NA, 1000, NA, 200, 300, 0.5));
        assertEquals(12.0, r.inputs().get("require"), 1e-9);
        assertEquals(50.0, r.inputs().get("extra"), 1e-9);
        assertEquals(300.0, r.inputs().get("backlog-time"));
        assertTrue(r.explanation().contains("300 s > 120 s"), r.explanation());
        assertTrue(r.explanation().contains("62 workers"), r.explanation());
    }

    @Test
    void staleSignalsAreUsedTheGovernorDecidesWhatTheyMayDo() {
        // The policy cannot know the source's freshness rules; it recommends, and the governor blocks a
        // scale-down on stale data. Backlog time 300 s, 600 s old with a 60 s freshness bound.
        Signals s = Signals.builder(Fixtures.JOB, Fixtures.NOW).workers(10)
                .fresh(SignalKind.THROUGHPUT, 1000)
                .set(SignalKind.BACKLOG_TIME, Measurement.of(SignalKind.BACKLOG_TIME, 300, 600, 60))
                .fresh(SignalKind.BACKLOG_GROWTH, 200)
                .build();
        assertEquals(Quality.STALE, s.backlogTime().quality());
        Recommendation r = POLICY.recommend(s);
        assertEquals(ReasonCode.SCALE_UP_BACKLOG, r.reason());
        assertEquals(62, r.targetWorkers());
    }

    @Test
    void customParamsChangeTheThresholds() {
        // time-to-drain 300 s: require 10, extra 10×300/300 = 10, 20
        ScalingPolicy p = Fixtures.policy("backlog-drain", "time-to-drain = 5m, scale-up-backlog-time = 200s");
        assertEquals(20, p.recommend(Fixtures.signals(10, NA, 1000, NA, 0, 300, 0.5)).targetWorkers());
        // 150 s is now under the threshold: hold
        assertEquals(ReasonCode.HOLD_IN_RANGE, p.recommend(Fixtures.signals(10, NA, 1000, NA, 0, 150, 0.8)).reason());
    }

    @Test
    void requiresEverySignalAScaleDownRestsOn() {
        assertEquals(Set.of(SignalKind.THROUGHPUT, SignalKind.BACKLOG, SignalKind.BACKLOG_GROWTH, SignalKind.CPU), POLICY.requiredSignals());
    }
}

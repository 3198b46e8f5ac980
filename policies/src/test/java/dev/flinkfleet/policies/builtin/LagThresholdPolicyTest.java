package dev.flinkfleet.policies.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.SignalKind;

class LagThresholdPolicyTest {

    private static final double NA = Double.NaN;

    record Case(String name, String params, int workers, double backlog, int expected, ReasonCode reason) {
    }

    static Stream<Case> cases() {
        return Stream.of(
                // 25000/10000 = 2.5 → 3
                new Case("lag over one worker's share scales up", "", 1, 25000, 3, ReasonCode.SCALE_UP_LAG),
                // 20000/10000 = 2 exactly
                new Case("exact multiple holds", "", 2, 20000, 2, ReasonCode.HOLD_IN_RANGE),
                // 20001/10000 = 2.0001 → 3
                new Case("one record over a multiple adds a worker", "", 2, 20001, 3, ReasonCode.SCALE_UP_LAG),
                // 0 → max(1, 0) = 1
                new Case("no lag scales down to one", "", 5, 0, 1, ReasonCode.SCALE_DOWN_LAG),
                new Case("no lag at one worker holds", "", 1, 0, 1, ReasonCode.HOLD_IN_RANGE),
                // 15000/10000 = 1.5 → 2
                new Case("lag under current share scales down", "", 6, 15000, 2, ReasonCode.SCALE_DOWN_LAG),
                // 1200/500 = 2.4 → 3
                new Case("custom lag per worker", "lag-per-worker = 500", 1, 1200, 3, ReasonCode.SCALE_UP_LAG),
                // saturates; the governor's max-workers brings it down
                new Case("huge lag saturates", "", 1, 1e20, Integer.MAX_VALUE, ReasonCode.SCALE_UP_LAG),
                new Case("lag missing holds", "", 4, NA, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("negative lag is missing", "", 4, -1, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("infinite lag is missing", "", 4, Double.POSITIVE_INFINITY, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void recommends(Case c) {
        Recommendation r = Fixtures.policy("lag-threshold", c.params())
                .recommend(Fixtures.signals(c.workers(), NA, NA, c.backlog(), NA, NA, NA));
        assertEquals(c.reason(), r.reason(), r.explanation());
        assertEquals(c.expected(), r.targetWorkers(), r.explanation());
    }

    @Test
    void requiresOnlyTheBacklog() {
        assertEquals(Set.of(SignalKind.BACKLOG), Fixtures.policy("lag-threshold", "").requiredSignals());
    }
}

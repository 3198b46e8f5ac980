package dev.flinkfleet.policies.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;

class StaticPolicyTest {

    private static final double NA = Double.NaN;

    record Case(String name, String params, int workers, double backlog, double cpu, int expected, ReasonCode reason) {
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("default one worker shrinks a bigger job", "", 3, 0, 0.5, 1, ReasonCode.STATIC),
                new Case("at the count holds", "", 1, 0, 0.5, 1, ReasonCode.HOLD_IN_RANGE),
                new Case("grows to the count", "workers = 7", 2, 0, 0.5, 7, ReasonCode.STATIC),
                // signals are irrelevant: a huge backlog and hot CPU change nothing
                new Case("ignores a huge backlog", "workers = 7", 7, 1e9, 1.0, 7, ReasonCode.HOLD_IN_RANGE),
                new Case("ignores missing signals", "workers = 7", 2, NA, NA, 7, ReasonCode.STATIC));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void recommends(Case c) {
        Recommendation r = Fixtures.policy("static", c.params())
                .recommend(Fixtures.signals(c.workers(), NA, NA, c.backlog(), NA, NA, c.cpu()));
        assertEquals(c.reason(), r.reason(), r.explanation());
        assertEquals(c.expected(), r.targetWorkers(), r.explanation());
    }

    @Test
    void needsNoSignals() {
        assertTrue(Fixtures.policy("static", "").requiredSignals().isEmpty());
    }
}

package dev.flinkfleet.policies.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.ScalingPolicyFactory;
import dev.flinkfleet.policies.Signals;

class BuiltInRegistryTest {

    @Test
    void findsExactlyTheSixBuiltIns() {
        assertEquals(List.of("backlog-drain", "lag-threshold", "predictive", "sla-headroom", "static", "target-utilization"),
                List.copyOf(PolicyRegistry.builtIn().all().keySet()));
    }

    record Case(String name, ReasonCode blindReason) {
    }

    static Stream<Case> policies() {
        return Stream.of(
                new Case("backlog-drain", ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("target-utilization", ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("lag-threshold", ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("sla-headroom", ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("predictive", ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                // static's default of 1 equals the current 1 below
                new Case("static", ReasonCode.HOLD_IN_RANGE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void createsFromReferenceDefaults(Case c) {
        ScalingPolicyFactory f = PolicyRegistry.builtIn().get(c.name());
        assertEquals(c.name(), f.name());
        assertFalse(f.description().isBlank());
        ScalingPolicy p = f.create(Fixtures.defaults(c.name()));
        assertEquals(c.name(), p.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void noSignalsAtAllGivesAHoldNotAnException(Case c) {
        ScalingPolicy p = PolicyRegistry.builtIn().get(c.name()).create(Fixtures.defaults(c.name()));
        Signals blind = Signals.builder(new JobRef("ns", "job"), Fixtures.NOW).workers(1).build();
        Recommendation r = p.recommend(blind);
        assertEquals(c.blindReason(), r.reason(), r.explanation());
        assertEquals(1, r.targetWorkers());
        assertTrue(r.reason().isHold());
    }
}

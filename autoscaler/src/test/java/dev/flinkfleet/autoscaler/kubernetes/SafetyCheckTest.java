package dev.flinkfleet.autoscaler.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.policies.ReasonCode;

class SafetyCheckTest {

    record Case(String name, UnaryOperator<FlinkDeploymentFixtures.Builder> setup, boolean safe, String detailMentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("stable and running", b -> b, true, null),
                new Case("deployed (not yet stable) and running", b -> b.lifecycle("DEPLOYED"), true, null),
                new Case("lifecycle UPGRADING", b -> b.lifecycle("UPGRADING"), false, "UPGRADING"),
                new Case("lifecycle ROLLING_BACK", b -> b.lifecycle("ROLLING_BACK"), false, "ROLLING_BACK"),
                new Case("lifecycle SUSPENDED", b -> b.lifecycle("SUSPENDED").jobState("SUSPENDED"), false, "SUSPENDED"),
                new Case("lifecycle FAILED", b -> b.lifecycle("FAILED"), false, "FAILED"),
                new Case("reconciliation UPGRADING", b -> b.reconciliation("UPGRADING"), false, "reconciliation state is UPGRADING"),
                new Case("reconciliation ROLLED_BACK", b -> b.reconciliation("ROLLED_BACK"), false, "ROLLED_BACK"),
                new Case("job RESTARTING", b -> b.jobState("RESTARTING"), false, "job state is RESTARTING"),
                new Case("job RECONCILING", b -> b.jobState("RECONCILING"), false, "RECONCILING"),
                new Case("job FAILING", b -> b.jobState("FAILING"), false, "FAILING"),
                new Case("generation not yet observed", b -> b.observedGenerationLag(1), false, "observed generation 0 of 1"),
                new Case("no status at all", FlinkDeploymentFixtures.Builder::noStatus, false, "lifecycle state is null"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdict(Case c) {
        FlinkDeploymentView v = FlinkDeploymentView.of(c.setup().apply(FlinkDeploymentFixtures.deployment("ns", "job")).build());
        SafetyCheck.Verdict verdict = SafetyCheck.check(v);
        assertEquals(c.safe(), verdict.safe(), () -> c.name() + ": " + verdict);
        if (c.safe()) {
            assertNull(verdict.reason());
        } else {
            assertEquals(ReasonCode.HOLD_UNSAFE_STATE, verdict.reason());
            assertTrue(verdict.detail().contains(c.detailMentions()), verdict.detail());
        }
    }
}

package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

class BackendHoldGovernorTest {

    static final JobRef JOB = new JobRef("ns", "job");
    static final String WHY = "Kafka cluster 'eu' unavailable: no broker answered: TimeoutException: x";

    record Case(String name, String down, int target, ReasonCode inner, boolean needsSignals, int expectedTarget, ReasonCode expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("backend up: untouched", null, 3, ReasonCode.SCALE_DOWN_LAG, true, 3, ReasonCode.SCALE_DOWN_LAG),
                new Case("missing-signal hold names the backend", WHY, 5, ReasonCode.HOLD_INSUFFICIENT_SIGNALS, true, 5, ReasonCode.HOLD_BACKEND_UNAVAILABLE),
                new Case("stale hold names the backend", WHY, 5, ReasonCode.HOLD_STALE_SIGNALS, true, 5, ReasonCode.HOLD_BACKEND_UNAVAILABLE),
                new Case("scale-down on values still fresh from before the failure: held", WHY, 3, ReasonCode.SCALE_DOWN_LAG, true, 5, ReasonCode.HOLD_BACKEND_UNAVAILABLE),
                new Case("scale-up stays allowed", WHY, 7, ReasonCode.SCALE_UP_LAG, true, 7, ReasonCode.SCALE_UP_LAG),
                new Case("paused stays paused", WHY, 5, ReasonCode.HOLD_PAUSED, true, 5, ReasonCode.HOLD_PAUSED),
                new Case("policy without signals is not held", WHY, 4, ReasonCode.STATIC, false, 4, ReasonCode.STATIC));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void holdsAllButScaleUpWhileTheBackendIsDown(Case c) {
        Decision inner = DaemonTestSupport.decision(JOB, 5, c.target(), c.inner());
        BackendHoldGovernor g = new BackendHoldGovernor((s, r, p, st, now) -> inner, j -> j.equals(JOB) ? c.down() : null);
        Signals s = Signals.builder(JOB, DaemonTestSupport.NOW).workers(5).parallelism(5).build();
        Decision d = g.decide(s, new Recommendation(c.target(), c.inner(), "test", Map.of()), policy(c.needsSignals()), GovernorState.empty(), DaemonTestSupport.NOW);
        assertEquals(c.expectedTarget(), d.targetWorkers(), d.summary());
        assertEquals(c.expected(), d.reason(), d.summary());
        if (c.expected() == ReasonCode.HOLD_BACKEND_UNAVAILABLE) {
            assertTrue(d.summary().contains(WHY) && d.summary().contains(c.inner().name()), d.summary());
            assertEquals(inner.nextState(), d.nextState(), "governor state as the inner governor left it");
        }
    }

    private static ScalingPolicy policy(boolean needsSignals) {
        return new ScalingPolicy() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public Set<SignalKind> requiredSignals() {
                return needsSignals ? Set.of(SignalKind.BACKLOG) : Set.of();
            }

            @Override
            public Recommendation recommend(Signals signals) {
                throw new UnsupportedOperationException();
            }
        };
    }
}

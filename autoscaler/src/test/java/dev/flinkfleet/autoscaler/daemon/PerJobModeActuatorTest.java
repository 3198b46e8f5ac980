package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.ActuationMode;
import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.JobPlan;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;

/** The actuator of each job's mode is the one its plan names; nothing is looked up elsewhere. */
class PerJobModeActuatorTest {

    record Case(String name, ActuationMode mode, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("replicas", ActuationMode.TASKMANAGER_REPLICAS, "taskmanager-replicas"),
                new Case("parallelism", ActuationMode.JOB_PARALLELISM, "job-parallelism"),
                new Case("overrides", ActuationMode.VERTEX_OVERRIDES, "vertex-overrides"),
                new Case("a plan without a mode is held, not patched", null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void routesByThePlansMode(Case c) throws Exception {
        List<String> called = new ArrayList<>();
        PerJobModeActuator byMode = new PerJobModeActuator(m -> d -> {
            called.add(m.configName());
            return Actuator.Result.applied(m.configName());
        });
        JobRef job = new JobRef("ns", "j");
        JobPlan plan = new JobPlan(job, "app", DaemonTestSupport.NO_POLICY, (s, r, p, st, now) -> null, c.mode(), null);
        Actuator.Result r = byMode.apply(plan, DaemonTestSupport.decision(job, 2, 4, ReasonCode.SCALE_UP_BACKLOG));
        if (c.expected() == null) {
            assertEquals(List.of(), called);
            assertEquals(ReasonCode.HOLD_ERROR, r.reason());
        } else {
            assertEquals(List.of(c.expected()), called);
            assertEquals(Actuator.Outcome.APPLIED, r.outcome());
        }
    }
}

package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;

class FleetBudgetActuatorTest {

    @Test
    void appliesUpToTheBudgetThenHoldsTheRest() throws Exception {
        List<JobRef> applied = new ArrayList<>();
        Actuator recording = d -> {
            applied.add(d.job());
            return Actuator.Result.applied("ok");
        };
        FleetBudgetActuator budget = new FleetBudgetActuator(recording, 3, Duration.ofHours(1));
        List<Actuator.Result> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(budget.apply(DaemonTestSupport.decision(new JobRef("ns", "job-" + i), 2, 4, ReasonCode.SCALE_UP_BACKLOG)));
        }
        assertEquals(3, applied.size());
        assertEquals(List.of("job-0", "job-1", "job-2"), applied.stream().map(JobRef::name).toList());
        assertEquals(Actuator.Outcome.SKIPPED, results.get(3).outcome());
        assertEquals(ReasonCode.HOLD_BUDGET, results.get(4).reason());
        assertEquals(0, budget.remaining());
    }

    @Test
    void onlyAppliedRescalesSpendTheBudget() throws Exception {
        // Every other job is held by the actuator itself (e.g. unsafe state): those must not use up the budget.
        Actuator alternating = d -> Integer.parseInt(d.job().name().substring(4)) % 2 == 0
                ? Actuator.Result.applied("ok") : Actuator.Result.skipped(ReasonCode.HOLD_UNSAFE_STATE, "upgrading");
        FleetBudgetActuator budget = new FleetBudgetActuator(alternating, 2, Duration.ofHours(1));
        List<Actuator.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            outcomes.add(budget.apply(DaemonTestSupport.decision(new JobRef("ns", "job-" + i), 2, 4, ReasonCode.SCALE_UP_BACKLOG)).outcome());
        }
        // job-0 applied, job-1 held by the actuator, job-2 applied, then the budget of 2 is spent.
        assertEquals(List.of(Actuator.Outcome.APPLIED, Actuator.Outcome.SKIPPED, Actuator.Outcome.APPLIED,
                Actuator.Outcome.SKIPPED, Actuator.Outcome.SKIPPED, Actuator.Outcome.SKIPPED), outcomes);
        assertEquals(ReasonCode.HOLD_BUDGET,
                budget.apply(DaemonTestSupport.decision(new JobRef("ns", "job-8"), 2, 4, ReasonCode.SCALE_UP_BACKLOG)).reason());
    }

    @Test
    void rejectsAnEmptyBudget() {
        assertThrows(IllegalArgumentException.class,
                () -> new FleetBudgetActuator(d -> Actuator.Result.applied(""), 0, Duration.ofMinutes(1)));
    }
}

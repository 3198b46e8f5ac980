package dev.flinkfleet.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.governor.Fakes.ManualClock;

class FleetBudgetActuatorTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static Decision decision(String name, Instant at) {
        JobRef job = new JobRef("ns", name);
        Recommendation rec = new Recommendation(4, ReasonCode.SCALE_UP_BACKLOG, "test", Map.of());
        return new Decision(job, at, 2, 4, rec, ReasonCode.SCALE_UP_BACKLOG, List.of(), Quality.FRESH, GovernorState.empty());
    }

    @Test
    void appliesUpToTheBudgetThenHoldsTheRest() throws Exception {
        List<JobRef> applied = new ArrayList<>();
        Actuator recording = d -> {
            applied.add(d.job());
            return Actuator.Result.applied("ok");
        };
        FleetBudgetActuator budget = new FleetBudgetActuator(recording, new FleetBudget(3, Duration.ofHours(1), new ManualClock(T0)));
        List<Actuator.Result> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(budget.apply(decision("job-" + i, T0)));
        }
        assertEquals(List.of("job-0", "job-1", "job-2"), applied.stream().map(JobRef::name).toList());
        assertEquals(Actuator.Outcome.SKIPPED, results.get(3).outcome());
        assertEquals(ReasonCode.HOLD_BUDGET, results.get(4).reason());
        assertEquals("fleet rescale budget of 3 per PT1H used up", results.get(4).detail());
        assertEquals(0, budget.remaining());
    }

    @Test
    void onlyAppliedRescalesSpendTheBudget() throws Exception {
        // Every other job is held by the actuator itself (e.g. unsafe state): those must not use up the budget.
        Actuator alternating = d -> Integer.parseInt(d.job().name().substring(4)) % 2 == 0
                ? Actuator.Result.applied("ok") : Actuator.Result.skipped(ReasonCode.HOLD_UNSAFE_STATE, "upgrading");
        FleetBudgetActuator budget = new FleetBudgetActuator(alternating, new FleetBudget(2, Duration.ofHours(1), new ManualClock(T0)));
        List<Actuator.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            outcomes.add(budget.apply(decision("job-" + i, T0)).outcome());
        }
        // job-0 applied, job-1 held by the actuator, job-2 applied, then the budget of 2 is spent.
        assertEquals(List.of(Actuator.Outcome.APPLIED, Actuator.Outcome.SKIPPED, Actuator.Outcome.APPLIED,
                Actuator.Outcome.SKIPPED, Actuator.Outcome.SKIPPED, Actuator.Outcome.SKIPPED), outcomes);
        assertEquals(ReasonCode.HOLD_BUDGET, budget.apply(decision("job-8", T0)).reason());
    }

    /**
     * A sliding window on the injected clock: {@code spendAt} are the seconds (after T0) at which a rescale is
     * tried; {@code applied} says which went through with a budget of 2 per minute.
     */
    record WindowCase(String name, List<Integer> tryAt, List<Boolean> applied) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<WindowCase> windows() {
        return Stream.of(
                new WindowCase("two in the same second, the third held", List.of(0, 0, 0), List.of(true, true, false)),
                new WindowCase("a slot frees exactly one period after it was spent", List.of(0, 30, 59, 60, 61, 89, 90),
                        List.of(true, true, false, true, false, false, true)),
                new WindowCase("spread out, never held", List.of(0, 40, 80, 120), List.of(true, true, true, true)),
                new WindowCase("no more than two in any 60 s", List.of(10, 20, 30, 40, 50, 69, 70, 80), List.of(true, true, false, false, false, false, true, true)));
    }

    @ParameterizedTest
    @MethodSource("windows")
    void slidingWindowOnTheInjectedClock(WindowCase c) throws Exception {
        ManualClock clock = new ManualClock(T0);
        FleetBudgetActuator budget = new FleetBudgetActuator(d -> Actuator.Result.applied("ok"), new FleetBudget(2, Duration.ofMinutes(1), clock));
        List<Boolean> applied = new ArrayList<>();
        Instant now = T0;
        for (int s : c.tryAt()) {
            clock.advance(Duration.between(now, T0.plusSeconds(s)));
            now = T0.plusSeconds(s);
            applied.add(budget.apply(decision("job", now)).applied());
        }
        assertEquals(c.applied(), applied);
    }

    @Test
    void rejectsAnEmptyBudget() {
        assertThrows(IllegalArgumentException.class, () -> new FleetBudget(0, Duration.ofMinutes(1), new ManualClock(T0)));
        assertThrows(IllegalArgumentException.class, () -> new FleetBudget(1, Duration.ZERO, new ManualClock(T0)));
    }
}

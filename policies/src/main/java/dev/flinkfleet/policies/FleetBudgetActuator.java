package dev.flinkfleet.policies;

import java.util.Objects;

/**
 * Caps rescales across the whole fleet with a {@link FleetBudget}, so a fleet-wide surge or a bad deploy cannot
 * restart thousands of jobs at once. The control loop hands decisions over most urgent first, so the budget goes
 * to starving jobs; the rest are skipped with {@link ReasonCode#HOLD_BUDGET} and decided again next cycle. The
 * daemon and the simulator's fleet replay both put it in front of their actuator.
 */
public final class FleetBudgetActuator implements Actuator {

    private final Actuator delegate;
    private final FleetBudget budget;

    public FleetBudgetActuator(Actuator delegate, FleetBudget budget) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    @Override
    public Result apply(Decision decision) throws Exception {
        return apply(null, decision);
    }

    @Override
    public Result apply(JobPlan plan, Decision decision) throws Exception {
        if (!budget.available()) {
            return Result.skipped(ReasonCode.HOLD_BUDGET, "fleet rescale budget of " + budget.limit() + " per " + budget.period() + " used up");
        }
        Result r = plan == null ? delegate.apply(decision) : delegate.apply(plan, decision);
        if (r != null && r.applied()) {
            // Only a rescale that happened spends the budget: a job the actuator held (unsafe state, conflict,
            // paused, dry run) must not starve the others. The loop actuates on one thread, so checking first and
            // spending after cannot overshoot.
            budget.spend();
        }
        return r;
    }

    /** Rescales left in the current window (for /jobs and logs). */
    public int remaining() {
        return budget.remaining();
    }
}

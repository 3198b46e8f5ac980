package dev.flinkfleet.autoscaler.daemon;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.IntPredicate;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.FleetBudget;
import dev.flinkfleet.policies.JobPlan;
import dev.flinkfleet.policies.ReasonCode;

/**
 * The fleet rescale budget when the fleet is sharded: one {@link FleetBudget} per shard holding its
 * {@link ShardBudget#share}, spent only by the replica holding that shard, so the replicas together never
 * exceed the fleet's total. A replica pools the budgets of the shards it holds (a job spends its own shard's
 * first, then any other held shard's), so the most urgent of its jobs go first as with one daemon. Before
 * spending it checks that the job's shard is still held: a replica that lost a shard mid-cycle must not patch
 * a job its new holder decides. With one shard this is exactly {@link dev.flinkfleet.policies.FleetBudgetActuator}.
 * A shard's window starts afresh on the replica that takes it over (as the budget did on a new leader).
 */
final class ShardBudgetActuator implements Actuator {

    private final Actuator delegate;
    private final ShardMap shards;
    private final IntPredicate held;
    private final FleetBudget[] budgets;
    private final int total;
    private final Duration period;

    /**
     * @param total rescales per {@code period} across the whole fleet; at least one per shard
     * @param held  whether this replica holds a shard now
     */
    ShardBudgetActuator(Actuator delegate, ShardMap shards, int total, Duration period, Clock clock, IntPredicate held) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.shards = Objects.requireNonNull(shards, "shards");
        this.held = Objects.requireNonNull(held, "held");
        this.total = total;
        this.period = period;
        this.budgets = new FleetBudget[shards.shards()];
        for (int i = 0; i < budgets.length; i++) {
            budgets[i] = new FleetBudget(ShardBudget.share(total, shards.shards(), i), period, clock);
        }
    }

    @Override
    public Result apply(Decision decision) throws Exception {
        return apply(null, decision);
    }

    @Override
    public Result apply(JobPlan plan, Decision decision) throws Exception {
        int own = shards.shardOf(decision.job());
        if (!held.test(own)) {
            return Result.skipped(ReasonCode.HOLD_UNSAFE_STATE, shards.shards() == 1
                    ? "no longer the leader; the next leader decides"
                    : "shard " + own + " is no longer held here; its holder decides");
        }
        FleetBudget budget = budgets[own].available() ? budgets[own] : spare();
        if (budget == null) {
            return Result.skipped(ReasonCode.HOLD_BUDGET, shards.shards() == 1
                    ? "fleet rescale budget of " + total + " per " + period + " used up"
                    : "rescale budget of the shards held here (of the fleet's " + total + " per " + period + ") used up");
        }
        Result r = plan == null ? delegate.apply(decision) : delegate.apply(plan, decision);
        if (r != null && r.applied()) {
            // Only a rescale that happened spends (as FleetBudgetActuator); one thread actuates, so no overshoot.
            budget.spend();
        }
        return r;
    }

    /** Rescales left now across the shards held here. */
    int remaining() {
        int sum = 0;
        for (int i = 0; i < budgets.length; i++) {
            if (held.test(i)) {
                sum += budgets[i].remaining();
            }
        }
        return sum;
    }

    private FleetBudget spare() {
        for (int i = 0; i < budgets.length; i++) {
            if (held.test(i) && budgets[i].available()) {
                return budgets[i];
            }
        }
        return null;
    }
}

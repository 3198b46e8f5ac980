package dev.flinkfleet.policies.builtin;

import java.util.Set;

import dev.flinkfleet.policies.Inputs;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/**
 * Always the same worker count, whatever the signals: for jobs that must not be autoscaled, and as the
 * "no autoscaler" baseline in the simulator. Built by {@link StaticFactory}.
 *
 * @param workers the count to hold the job at (&gt;= 1)
 */
public record StaticPolicy(int workers) implements ScalingPolicy {

    public static final String NAME = "static";

    public StaticPolicy {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** None: the answer does not depend on any signal, so stale data cannot make it wrong. */
    @Override
    public Set<SignalKind> requiredSignals() {
        return Set.of();
    }

    @Override
    public Recommendation recommend(Signals s) {
        int current = s.currentWorkers();
        Inputs in = new Inputs(2);
        in.put("current-workers", current);
        in.put("workers", workers);
        if (workers == current) {
            return Recommendation.hold(current, ReasonCode.HOLD_IN_RANGE, () -> "fixed at " + workers + " workers, as now", in);
        }
        return new Recommendation(workers, ReasonCode.STATIC, () -> "fixed at " + workers + " workers (now " + current + ")", in);
    }
}

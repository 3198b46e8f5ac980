package dev.flinkfleet.policies;

import java.util.Set;

/**
 * A pure sizing rule: signals in, recommendation out. No I/O, no clock, no state: the same signals always give
 * the same recommendation. Cooldowns, bounds and stabilisation are the {@link Governor}'s job.
 * Instances are made by a {@link ScalingPolicyFactory}, which holds the validated parameters.
 */
public interface ScalingPolicy {

    /** The registry name, e.g. {@code backlog-drain}. */
    String name();

    /**
     * Signals this policy needs. If any is stale or missing, the governor allows only scale-up.
     */
    Set<SignalKind> requiredSignals();

    /**
     * The recommendation for one job. Must not throw on missing signals: return a hold instead. Compute, do not
     * format: put the numbers in the recommendation's inputs and pass an {@link Explanation} that builds the
     * sentence from them when it is shown; this runs for every job every cycle, and most results are never read.
     */
    Recommendation recommend(Signals signals);

    /**
     * The recommendation given what the governor remembers about the job (see {@link PolicyContext}). The
     * control loop calls this one; a policy that needs no memory keeps the default.
     */
    default Recommendation recommend(Signals signals, PolicyContext context) {
        return recommend(signals);
    }
}

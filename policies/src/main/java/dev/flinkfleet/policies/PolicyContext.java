package dev.flinkfleet.policies;

import java.time.Instant;

/**
 * What a policy may know beyond this cycle's signals, read from the {@link GovernorState} by the control loop:
 * the capacity remembered from when the job was busy, and whether the signals are still settling after a
 * rescale. Policies stay pure: the same signals and context always give the same recommendation.
 *
 * @param capacity the remembered per-worker capacity, or null when none has been learned
 * @param settling true within {@link RememberedCapacity#SETTLE_TIME} of the last rescale
 */
public record PolicyContext(RememberedCapacity capacity, boolean settling) {

    /** Nothing remembered, not settling. */
    public static final PolicyContext NONE = new PolicyContext(null, false);

    /** The context a job with {@code state} has at {@code now}. */
    public static PolicyContext of(GovernorState state, Instant now) {
        boolean settling = RememberedCapacity.settling(state, now);
        return state.capacity() == null && !settling ? NONE : new PolicyContext(state.capacity(), settling);
    }
}

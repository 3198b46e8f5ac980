package dev.flinkfleet.policies;

/**
 * What a policy may know beyond this cycle's signals, read from the {@link GovernorState} by the control loop:
 * the capacity remembered from when the job was busy and the traffic shape learned from its input. Policies stay
 * pure: the same signals and context always give the same recommendation.
 *
 * @param capacity the remembered per-worker capacity, or null when none has been learned
 * @param profile  the job's learned traffic profile, or null when none has been learned
 */
public record PolicyContext(RememberedCapacity capacity, TrafficProfile profile) {

    /** Nothing remembered. */
    public static final PolicyContext NONE = new PolicyContext(null, null);

    /** Only a remembered capacity. */
    public PolicyContext(RememberedCapacity capacity) {
        this(capacity, null);
    }

    /** The context of a job with {@code state}. */
    public static PolicyContext of(GovernorState state) {
        return state.capacity() == null && state.profile() == null ? NONE : new PolicyContext(state.capacity(), state.profile());
    }
}

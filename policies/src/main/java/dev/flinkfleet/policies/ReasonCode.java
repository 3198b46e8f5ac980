package dev.flinkfleet.policies;

/**
 * Stable reason codes. Users see them in logs, events, metrics labels and {@code /jobs}; never rename one.
 * Policy codes say what the policy wanted; governor codes say what the governor did to it.
 */
public enum ReasonCode {
    // --- policy recommendations
    /** Backlog time or backlog growth calls for more workers. */
    SCALE_UP_BACKLOG,
    /** CPU above the scale-up threshold. */
    SCALE_UP_CPU,
    /** Needed capacity at the utilisation target exceeds the current capacity. */
    SCALE_UP_UTILIZATION,
    /** Total lag per worker above the threshold (KEDA-style). */
    SCALE_UP_LAG,
    /** CPU low, backlog small and not growing. */
    SCALE_DOWN_CPU,
    /** Needed capacity at the utilisation target is below the current capacity. */
    SCALE_DOWN_UTILIZATION,
    /** Lag per worker below the threshold. */
    SCALE_DOWN_LAG,
    /** A fixed worker count. */
    STATIC,
    /** The policy sees no reason to change. */
    HOLD_IN_RANGE,
    /** The policy could not compute a target from the signals it has. */
    HOLD_INSUFFICIENT_SIGNALS,

    // --- governor outcomes
    /** A needed signal is stale or missing: only scale-up is allowed, this was not one. */
    HOLD_STALE_SIGNALS,
    /** Inside the scale-up or scale-down cooldown. */
    HOLD_COOLDOWN,
    /** Change smaller than the tolerance dead-band. */
    HOLD_TOLERANCE,
    /** Scale-down held: a higher recommendation is still inside the stabilisation window. */
    HOLD_STABILIZATION,
    /** Scale-down applied, but only to the highest recommendation inside the stabilisation window. */
    SCALE_DOWN_STABILIZED,
    /** Raised to the configured minimum. */
    CAPPED_MIN,
    /** Lowered to the configured maximum. */
    CAPPED_MAX,
    /** Lowered to the job's max parallelism (partitions). */
    CAPPED_PARALLELISM,
    /** Limited by the maximum step up per decision. */
    CAPPED_STEP_UP,
    /** Limited by the maximum step down per decision. */
    CAPPED_STEP_DOWN,
    /** Moved to a divisor of the partition count so partitions spread evenly. */
    SNAPPED_DIVISOR,
    /** Scale-down held: now is inside one of the governor's excluded periods. */
    HOLD_EXCLUDED_PERIOD,
    /** Raised to the governor's fallback-workers: the signals the policy needs have been missing too long. */
    SCALE_UP_FALLBACK,

    // --- loop / daemon outcomes
    /** Autoscaling paused for the job (annotation). */
    HOLD_PAUSED,
    /** The deployment is not in a state that is safe to patch. */
    HOLD_UNSAFE_STATE,
    /** The fleet-wide rescale budget is used up for now. */
    HOLD_BUDGET,
    /** The policy or governor failed for this job; nothing was changed. */
    HOLD_ERROR,
    /** A signal backend the job reads from (a Kafka cluster, Prometheus) is down; only a scale-up may proceed. */
    HOLD_BACKEND_UNAVAILABLE;

    public boolean isHold() {
        return name().startsWith("HOLD_");
    }
}

package dev.flinkfleet.policies;

import java.util.Objects;

/**
 * A job bound to the application that governs it: which policy and governor the loop runs for it, and the
 * binding its signal source and actuator read (where its signals come from, how it is resized), so nothing has
 * to look the job up elsewhere.
 *
 * @param job         the job
 * @param application the application (policy file) name
 * @param policy      the policy instance, with its parameters
 * @param governor    the governor instance, with its parameters
 * @param mode        the field its size is read from and patched in; null where nothing is patched (a replay)
 * @param wiring      where its signals come from, as its signal source understands it (the daemon's Kafka and
 *                    Prometheus wiring); null when the source needs none. Typed by the source, since the engine
 *                    knows no client library
 */
public record JobPlan(JobRef job, String application, ScalingPolicy policy, Governor governor, ActuationMode mode, Object wiring) {

    public JobPlan {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(governor, "governor");
    }

    /** A plan with no binding: the source and actuator know the job by its reference alone (a replay, tests). */
    public JobPlan(JobRef job, String application, ScalingPolicy policy, Governor governor) {
        this(job, application, policy, governor, null, null);
    }

    /** The wiring if it is a {@code type}, else null. */
    public <T> T wiring(Class<T> type) {
        return type.isInstance(wiring) ? type.cast(wiring) : null;
    }

    /** The same plan decided by {@code g} (e.g. the daemon's governor that holds jobs whose backend is down). */
    public JobPlan withGovernor(Governor g) {
        return new JobPlan(job, application, policy, g, mode, wiring);
    }
}

package dev.flinkfleet.policies;

import java.util.Objects;

/**
 * A job bound to the application that governs it: which policy and governor the loop runs for it.
 *
 * @param job         the job
 * @param application the application (policy file) name
 * @param policy      the policy instance, with its parameters
 * @param governor    the governor instance, with its parameters
 */
public record JobPlan(JobRef job, String application, ScalingPolicy policy, Governor governor) {

    public JobPlan {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(governor, "governor");
    }
}

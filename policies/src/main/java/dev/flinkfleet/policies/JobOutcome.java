package dev.flinkfleet.policies;

/**
 * What happened to one job in one cycle.
 *
 * @param plan     the job and its bindings
 * @param signals  the signals used; null if none could be read
 * @param decision the decision; null when the job failed before one was made
 * @param result   the actuation result; null when nothing needed applying
 * @param error    the failure, if any (the job was held)
 */
public record JobOutcome(JobPlan plan, Signals signals, Decision decision, Actuator.Result result, Exception error) {

    public boolean failed() {
        return error != null;
    }

    public boolean applied() {
        return result != null && result.applied();
    }
}

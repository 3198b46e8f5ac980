package dev.flinkfleet.policies;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The governor's verdict for one job in one cycle.
 *
 * @param job            the job
 * @param at             the cycle's {@code now}
 * @param currentWorkers workers before
 * @param targetWorkers  workers to have (equal to current for a hold)
 * @param recommendation what the policy wanted
 * @param reason         the final, stable reason code (a governor code when the governor changed anything,
 *                       else the policy's)
 * @param adjustments    each rule that changed the target, in the order applied
 * @param signalQuality  the worst quality among the signals the policy needs
 * @param nextState      the governor state to keep (without the rescale itself; see {@link #stateAfter})
 */
public record Decision(
        JobRef job,
        Instant at,
        int currentWorkers,
        int targetWorkers,
        Recommendation recommendation,
        ReasonCode reason,
        List<Adjustment> adjustments,
        Quality signalQuality,
        GovernorState nextState) {

    public Decision {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(recommendation, "recommendation");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(signalQuality, "signalQuality");
        Objects.requireNonNull(nextState, "nextState");
        adjustments = List.copyOf(adjustments);
        if (targetWorkers < 1) {
            throw new IllegalArgumentException(job + ": target workers must be >= 1, got " + targetWorkers);
        }
    }

    /**
     * This decision turned into a hold at the current size with {@code reason} (a pause, a failed backend), the
     * recommendation and next state kept; {@code why}, when not null, is appended to the adjustments.
     */
    public Decision heldAs(ReasonCode reason, Adjustment why) {
        List<Adjustment> all = adjustments;
        if (why != null) {
            all = new ArrayList<>(adjustments);
            all.add(why);
        }
        return new Decision(job, at, currentWorkers, currentWorkers, recommendation, reason, all, signalQuality, nextState);
    }

    /** True when the job must be rescaled. */
    public boolean changes() {
        return targetWorkers != currentWorkers;
    }

    public boolean scalesUp() {
        return targetWorkers > currentWorkers;
    }

    public boolean scalesDown() {
        return targetWorkers < currentWorkers;
    }

    /**
     * How badly the job needs this change; the loop actuates the most urgent first, so a fleet-wide rescale
     * budget goes to starving jobs before idle ones. Scale-ups rank above every scale-down.
     */
    public double urgency() {
        if (scalesUp()) {
            return 1.0 + (double) targetWorkers / currentWorkers;
        }
        if (scalesDown()) {
            return 1.0 - (double) targetWorkers / currentWorkers;
        }
        return 0;
    }

    /** The state to keep once the actuator has (or has not) applied this decision. */
    public GovernorState stateAfter(boolean applied) {
        return applied && changes() ? nextState.afterScale(at, currentWorkers, targetWorkers) : nextState;
    }

    /** One line for logs and events. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(job).append(' ').append(currentWorkers).append("->").append(targetWorkers)
                .append(' ').append(reason).append(" (policy: ").append(recommendation.reason())
                .append(' ').append(recommendation.targetWorkers()).append(": ").append(recommendation.explanation()).append(')');
        for (Adjustment a : adjustments) {
            sb.append("; ").append(a);
        }
        if (signalQuality != Quality.FRESH) {
            sb.append("; signals ").append(signalQuality);
        }
        return sb.toString();
    }
}

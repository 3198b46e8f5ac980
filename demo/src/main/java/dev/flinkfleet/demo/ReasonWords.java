package dev.flinkfleet.demo;

import dev.flinkfleet.policies.ReasonCode;

/**
 * Why a decision came out as it did, in the words a newcomer to autoscaling needs, for the demo's transcript.
 * The codes stay in the printed line (they are what logs, events and metrics show); this is the gloss shown the
 * first time each one appears.
 */
final class ReasonWords {

    private ReasonWords() {
    }

    /**
     * The sentence for {@code reason}.
     *
     * @param justRescaled the job was rescaled and no decision since has had the signals to size it: for
     *                     {@link ReasonCode#HOLD_INSUFFICIENT_SIGNALS} that is the reason, not a fault
     */
    static String why(ReasonCode reason, boolean justRescaled) {
        return switch (reason) {
            case SCALE_UP_BACKLOG -> "the backlog would take too long to drain at this size";
            case SCALE_UP_CPU -> "the workers are busier than the scale-up threshold";
            case SCALE_UP_UTILIZATION -> "the input needs more capacity than this size gives at the utilisation target";
            case SCALE_UP_LAG -> "the consumer lag per worker is above the policy's threshold";
            case SCALE_DOWN_CPU -> "the workers are mostly idle and the backlog is small and not growing";
            case SCALE_DOWN_UTILIZATION -> "fewer workers would still carry the input at the utilisation target";
            case SCALE_DOWN_LAG -> "the consumer lag per worker is well below the policy's threshold";
            case STATIC -> "the policy holds a fixed size";
            case HOLD_IN_RANGE -> "the load fits this size; nothing to do";
            case HOLD_INSUFFICIENT_SIGNALS -> justRescaled
                    ? "metrics of the new size are not in yet: the restarted job has to run a little before its rates can be measured"
                    : "a signal the policy needs has no value yet, so it keeps the size";
            case HOLD_STALE_SIGNALS -> "the signals are old; without fresh data only a scale-up may go ahead";
            case HOLD_COOLDOWN -> "a rescale happened recently; the governor waits out the cooldown before the next one";
            case HOLD_TOLERANCE -> "the change would be too small to be worth a restart";
            case HOLD_STABILIZATION -> "load dropped only recently; a scale-down waits until it has stayed low for the stabilisation window";
            case SCALE_DOWN_STABILIZED -> "scaled down only as far as the highest need seen in the stabilisation window";
            case CAPPED_MIN -> "raised to the configured minimum";
            case CAPPED_MAX -> "lowered to the configured maximum";
            case CAPPED_PARALLELISM -> "the topic has no more partitions than this: more workers would sit idle";
            case CAPPED_STEP_UP -> "limited to the largest step up allowed per decision";
            case CAPPED_STEP_DOWN -> "limited to the largest step down allowed per decision";
            case SNAPPED_DIVISOR -> "moved to a size that divides the partitions evenly";
            case HOLD_PAUSED -> "autoscaling is paused for this job by annotation";
            case HOLD_UNSAFE_STATE -> "the deployment is mid-change (restarting or upgrading); patching now would be unsafe";
            case HOLD_BUDGET -> "the fleet's rescale budget for this minute is spent";
            case HOLD_ERROR -> "deciding failed; nothing was changed";
            case HOLD_BACKEND_UNAVAILABLE -> "a metrics backend is down; only a scale-up may go ahead";
            case HOLD_EXCLUDED_PERIOD -> "inside an excluded period (e.g. a nightly batch window): scale-downs wait until it ends";
            case SCALE_UP_FALLBACK -> "the signals have been missing too long: raised to the job's fallback size, never lowered by it";
        };
    }
}

package dev.flinkfleet.policies;

/** Applies a decision that changes a job's size: a FlinkDeployment patch in the daemon, the job model in the simulator. */
public interface Actuator {

    /** Outcome of one actuation. */
    enum Outcome {
        /** The change was made. */
        APPLIED,
        /** Decided and logged, nothing changed (dry run). */
        DRY_RUN,
        /** Not applied now (e.g. conflict, unsafe state, budget); the job will be decided again next cycle. */
        SKIPPED,
        /** The attempt failed. */
        FAILED
    }

    /** Outcome plus what the actuator wants users to know. */
    record Result(Outcome outcome, ReasonCode reason, String detail) {
        public static Result applied(String detail) {
            return new Result(Outcome.APPLIED, null, detail);
        }

        public static Result skipped(ReasonCode reason, String detail) {
            return new Result(Outcome.SKIPPED, reason, detail);
        }

        public boolean applied() {
            return outcome == Outcome.APPLIED;
        }
    }

    /** Applies {@code decision} (only called when {@link Decision#changes()}). Exceptions are caught by the loop. */
    Result apply(Decision decision) throws Exception;

    /**
     * What the loop calls: applies {@code decision} for the job of {@code plan}. An actuator that reads the job's
     * binding ({@link JobPlan#mode()}) overrides this; decorators pass the plan on.
     */
    default Result apply(JobPlan plan, Decision decision) throws Exception {
        return apply(decision);
    }
}

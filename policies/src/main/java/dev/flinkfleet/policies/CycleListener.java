package dev.flinkfleet.policies;

import java.time.Instant;
import java.util.List;

/** Observes the loop (logs, metrics, events, the simulator's recorder). Implementations must not throw. */
public interface CycleListener {

    /** Called once per job per cycle, after actuation. */
    default void onJob(JobOutcome outcome) {
    }

    /** Called when the signal source failed as a whole; every job is held this cycle. */
    default void onSourceFailure(Instant now, Exception error) {
    }

    /** Called at the end of every cycle. */
    default void onCycle(Instant now, List<JobOutcome> outcomes) {
    }

    CycleListener NONE = new CycleListener() {
    };
}

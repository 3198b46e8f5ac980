package dev.flinkfleet.policies;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/** Where signals come from: Kafka and Prometheus in the daemon, the job model in the simulator. */
public interface SignalSource {

    /**
     * Signals for the given jobs at {@code now}, batched across jobs. A job the source could not read gets
     * missing measurements (never zeros); a job absent from the result is held by the loop.
     */
    Map<JobRef, Signals> collect(Collection<JobRef> jobs, Instant now);
}

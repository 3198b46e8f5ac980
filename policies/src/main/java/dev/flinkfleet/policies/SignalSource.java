package dev.flinkfleet.policies;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Where signals come from: Kafka and Prometheus in the daemon, the job model in the simulator. */
public interface SignalSource {

    /**
     * Signals for the given jobs at {@code now}, batched across jobs. A job the source could not read gets
     * missing measurements (never zeros); a job absent from the result is held by the loop.
     */
    Map<JobRef, Signals> collect(Collection<JobRef> jobs, Instant now);

    /**
     * What the loop calls: signals for the plans' jobs. A source that reads each job's wiring from its plan
     * ({@link JobPlan#wiring(Class)}) overrides this; the others serve the jobs by reference.
     */
    default Map<JobRef, Signals> collect(List<JobPlan> plans, Instant now) {
        // A plain loop: this runs every cycle for every job of a replay, where a stream's garbage shows.
        JobRef[] jobs = new JobRef[plans.size()];
        for (int i = 0; i < jobs.length; i++) {
            jobs[i] = plans.get(i).job();
        }
        return collect(List.of(jobs), now);
    }
}

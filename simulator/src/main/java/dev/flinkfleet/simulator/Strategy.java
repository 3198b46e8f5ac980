package dev.flinkfleet.simulator;

/**
 * What sizes a job during a replay: a user policy through the real {@link dev.flinkfleet.policies.ControlLoop}
 * ({@link PolicyStrategy}), or a baseline planner. One instance serves many jobs (possibly in parallel);
 * {@link #start} makes the per-job controller.
 */
public interface Strategy {

    /** Name in summary.json. */
    String name();

    /** Initial workers, or 0 to use the job model's. */
    default int initialWorkers(SimContext.Setup setup) {
        return 0;
    }

    Controller start(SimContext ctx);
}

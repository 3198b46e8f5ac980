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

    /**
     * The controller of a fleet replayed together on one clock. By default each job's own {@link #start}
     * controller, ticked with the others (the baselines plan each job alone); a policy runs the whole fleet through
     * one control loop.
     *
     * @param jobs  every job of the fleet, in replay order
     * @param fleet the fleet's rescale budget and paused jobs, which only a policy run through the loop observes
     */
    default FleetController startFleet(java.util.List<SimContext> jobs, FleetSettings fleet) {
        Controller[] each = new Controller[jobs.size()];
        for (int i = 0; i < each.length; i++) {
            each[i] = start(jobs.get(i));
        }
        return (due, count, steps) -> {
            for (int k = 0; k < count; k++) {
                int j = due[k];
                each[j].control(jobs.get(j), steps[j]);
            }
        };
    }
}

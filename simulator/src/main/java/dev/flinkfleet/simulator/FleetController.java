package dev.flinkfleet.simulator;

/** Decides the sizes of the jobs of a fleet replay at each control tick, with the simulated clock already set. */
public interface FleetController {

    /**
     * Called at a tick with the indices (into the replay's jobs) of the {@code count} jobs whose control tick it
     * is; {@code steps[j]} is job j's model step index.
     */
    void control(int[] due, int count, long[] steps);

    /** Decisions to rescale job {@code job} that the fleet rescale budget held so far. */
    default int budgetHolds(int job) {
        return 0;
    }
}

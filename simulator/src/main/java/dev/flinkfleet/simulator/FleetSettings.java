package dev.flinkfleet.simulator;

import java.util.Set;

/**
 * The fleet the traces of one replay form ({@code flinkfleet.simulator.fleet} in reference.conf).
 *
 * @param maxRescalesPerMinute the fleet's rescale budget per minute of simulated time; 0 = unlimited
 * @param pausedTraces         trace file names whose jobs are replayed paused, as the daemon pauses a job
 */
public record FleetSettings(int maxRescalesPerMinute, Set<String> pausedTraces) implements java.io.Serializable {

    /** No budget, nothing paused: every job as if alone. */
    public static final FleetSettings UNLIMITED = new FleetSettings(0, Set.of());

    public FleetSettings {
        if (maxRescalesPerMinute < 0) {
            throw new IllegalArgumentException("max-rescales-per-minute must be >= 0, got " + maxRescalesPerMinute);
        }
        pausedTraces = Set.copyOf(pausedTraces);
    }

    /** The same fleet without a budget (a single job is never limited). */
    public FleetSettings withoutBudget() {
        return new FleetSettings(0, pausedTraces);
    }

    public boolean paused(SimContext.Setup setup) {
        return pausedTraces.contains(setup.trace().fileName());
    }
}

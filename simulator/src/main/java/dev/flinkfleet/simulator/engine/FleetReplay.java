package dev.flinkfleet.simulator.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import dev.flinkfleet.simulator.FleetSettings;
import dev.flinkfleet.simulator.RunResult;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.Simulation;
import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.model.JobModel;
import dev.flinkfleet.simulator.trace.Trace;

/**
 * A fleet replay as data that can travel to another JVM (a Flink task manager): each job's trace and model, how to
 * build the strategies there, the fleet's settings. {@link #runSlice} is the one way a part of the fleet is
 * replayed, through {@link Simulation#runFleet} on the whole fleet's clock, so a part gives the numbers the whole
 * fleet replayed in one process gives for those jobs.
 *
 * @param jobs          the fleet's jobs, in replay order
 * @param strategies    builds the strategies, in result order, wherever the replay runs
 * @param fleet         the fleet's rescale budget and paused jobs
 * @param seriesBuckets plot buckets per run (0 = none)
 */
public record FleetReplay(List<Job> jobs, StrategyRecipe strategies, FleetSettings fleet, int seriesBuckets) implements Serializable {

    /** One job: its trace and the job model it runs under; the replay layout is derived from these. */
    public record Job(Trace trace, JobModel model) implements Serializable {
    }

    public FleetReplay {
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("a replay needs at least one job");
        }
        jobs = List.copyOf(jobs);
    }

    public static FleetReplay of(List<SimContext.Setup> setups, StrategyRecipe strategies, FleetSettings fleet, int seriesBuckets) {
        return new FleetReplay(setups.stream().map(s -> new Job(s.trace(), s.model())).toList(), strategies, fleet, seriesBuckets);
    }

    /** The jobs' replay layouts, as {@link dev.flinkfleet.simulator.Fleet#setups} made them (already checked there). */
    public List<SimContext.Setup> setups() {
        return jobs.stream().map(j -> SimContext.Setup.of(j.trace(), j.model())).toList();
    }

    /** Every job's clock starts where the first trace starts (traces are aligned at their first row). */
    public long epoch() {
        return jobs.get(0).trace().start().getEpochSecond();
    }

    /**
     * The parts of the fleet that replay independently, as indices into {@link #jobs}: each job alone, unless a
     * fleet rescale budget couples the jobs (one loop decides which job may rescale first), then the whole fleet.
     */
    public List<int[]> slices() {
        List<int[]> out = new ArrayList<>();
        if (fleet.maxRescalesPerMinute() > 0 && jobs.size() > 1) {
            int[] all = new int[jobs.size()];
            for (int j = 0; j < all.length; j++) {
                all[j] = j;
            }
            out.add(all);
            return out;
        }
        for (int j = 0; j < jobs.size(); j++) {
            out.add(new int[] {j});
        }
        return out;
    }

    /** The jobs of {@code slice} under {@code strategy}, in slice order; {@code setups} is {@link #setups()}. */
    public List<RunResult> runSlice(List<SimContext.Setup> setups, Strategy strategy, int[] slice) {
        List<SimContext.Setup> part = new ArrayList<>(slice.length);
        for (int j : slice) {
            part.add(setups.get(j));
        }
        // A slice of one job runs without the budget (runFleet drops it), which is right: slices are single jobs only
        // when there is no budget.
        return Simulation.runFleet(part, strategy, seriesBuckets, fleet, null, epoch());
    }
}

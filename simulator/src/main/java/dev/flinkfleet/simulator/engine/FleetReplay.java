package dev.flinkfleet.simulator.engine;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.FleetBudget;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.simulator.FleetSettings;
import dev.flinkfleet.simulator.PolicyStrategy;
import dev.flinkfleet.simulator.RunResult;
import dev.flinkfleet.simulator.SimClock;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.Simulation;
import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.model.JobModel;
import dev.flinkfleet.simulator.trace.Trace;

/**
 * A fleet replay as data that can travel to another JVM (a Flink task manager): each job's trace and model, how to
 * build the strategies there, the fleet's settings; and the one way a replay is cut into per-job parts that give
 * exactly the numbers of the whole fleet replayed at once ({@link Simulation#runFleet}).
 *
 * <p>The jobs of a fleet interact only through the fleet rescale budget, and only under a policy (the one control
 * loop that holds jobs with HOLD_BUDGET; baselines plan each job alone). So each job is replayed alone
 * ({@link #runJob}), on the fleet's clock, recording when it rescaled. If the budget would never have held a
 * rescale of the merged fleet ({@link #budgetHeld}), the fleet replay makes exactly these decisions and the per-job
 * results are the fleet's; if it would have, the setting is replayed again as one fleet ({@link #runWhole}).
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

    /**
     * One job replayed alone.
     *
     * @param result    its figures, as the fleet replay gives them when the budget held nothing
     * @param rescaleAt the simulated epoch seconds of its rescales, when the fleet's budget applies to the strategy
     */
    public record JobRun(RunResult result, long[] rescaleAt) implements Serializable {
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

    /** Whether the fleet's rescale budget can hold a job of {@code strategy} (only a policy's loop observes it). */
    public boolean budgetApplies(Strategy strategy) {
        return fleet.maxRescalesPerMinute() > 0 && jobs.size() > 1 && strategy instanceof PolicyStrategy;
    }

    /** Job {@code job} under {@code strategy}, alone; {@code setups} is {@link #setups()}. */
    public JobRun runJob(List<SimContext.Setup> setups, Strategy strategy, int job) {
        List<Long> at = new ArrayList<>();
        Strategy s = strategy;
        if (budgetApplies(strategy)) {
            PolicyStrategy p = (PolicyStrategy) strategy;
            // The same policy and governor instances (a strategy serves many jobs), observed.
            s = new PolicyStrategy(p.name(), p.policy(), p.governor(), new RecordingRescales(p.listener(), at));
        }
        RunResult r = Simulation.runFleet(List.of(setups.get(job)), s, seriesBuckets, fleet, null, epoch()).get(0);
        return new JobRun(r, at.stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * Whether the fleet's budget would have held a rescale had {@code runs} (every job, under one strategy) been
     * replayed together: their rescales, merged in time order, spend the daemon's own {@link FleetBudget}.
     */
    public boolean budgetHeld(List<JobRun> runs) {
        if (fleet.maxRescalesPerMinute() <= 0 || runs.size() <= 1) {
            return false;
        }
        long[] all = runs.stream().flatMapToLong(r -> Arrays.stream(r.rescaleAt())).sorted().toArray();
        SimClock clock = new SimClock(epoch());
        FleetBudget budget = new FleetBudget(fleet.maxRescalesPerMinute(), Duration.ofMinutes(1), clock);
        for (long t : all) {
            clock.set(t);
            if (!budget.available()) {
                return true;
            }
            budget.spend();
        }
        return false;
    }

    /** The whole fleet under {@code strategy}, as one replay (when the budget couples its jobs). */
    public List<RunResult> runWhole(List<SimContext.Setup> setups, Strategy strategy) {
        return Simulation.runFleet(setups, strategy, seriesBuckets, fleet, null, epoch());
    }

    /** Notes the time of every rescale that happened, passing everything on. */
    private record RecordingRescales(CycleListener next, List<Long> at) implements CycleListener {

        @Override
        public void onJob(JobOutcome o) {
            next.onJob(o);
        }

        @Override
        public void onSourceFailure(Instant now, Exception error) {
            next.onSourceFailure(now, error);
        }

        @Override
        public void onCycle(Instant now, List<JobOutcome> outcomes) {
            for (JobOutcome o : outcomes) {
                if (o.applied()) {
                    at.add(now.getEpochSecond());
                }
            }
            next.onCycle(now, outcomes);
        }
    }
}

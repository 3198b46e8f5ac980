package dev.flinkfleet.simulator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Replays traces through the job model under a strategy. The jobs of a fleet are replayed together, on one
 * simulated clock, as the daemon runs them: at each control tick the strategy decides every job whose tick it
 * is (a policy through one control loop, so urgency ordering and the fleet rescale budget apply across jobs).
 * Between ticks the jobs' models step independently, in parallel on the pool. The traces are aligned at their
 * first row; each job's ticks follow its own control interval.
 */
public final class Simulation {

    private Simulation() {
    }

    /** Replays {@code setup} alone under {@code strategy}, never budget-limited; records {@code seriesBuckets} plot buckets (0 = none). */
    public static RunResult run(SimContext.Setup setup, Strategy strategy, int seriesBuckets) {
        return runFleet(List.of(setup), strategy, seriesBuckets, FleetSettings.UNLIMITED, null).get(0);
    }

    /**
     * Replays every job under {@code strategy} as one fleet; results in the order of {@code setups}.
     *
     * @param fleet the fleet's rescale budget and paused jobs; a fleet of one job is never budget-limited
     * @param pool  steps the jobs' models between ticks; null = the caller's thread
     * @throws BadInputException when two traces give jobs of the same name
     */
    public static List<RunResult> runFleet(List<SimContext.Setup> setups, Strategy strategy, int seriesBuckets, FleetSettings fleet,
                                           ExecutorService pool) {
        return runFleet(setups, strategy, seriesBuckets, fleet, pool, setups.get(0).epochAt(0));
    }

    /**
     * As {@link #runFleet(List, Strategy, int, FleetSettings, ExecutorService)} on a clock that starts at
     * {@code epoch}: a part of a fleet replayed apart (the Flink engine) keeps the whole fleet's clock, which a
     * time-of-day policy reads.
     */
    public static List<RunResult> runFleet(List<SimContext.Setup> setups, Strategy strategy, int seriesBuckets, FleetSettings fleet,
                                           ExecutorService pool, long epoch) {
        int n = setups.size();
        Set<String> names = new HashSet<>();
        for (SimContext.Setup s : setups) {
            if (!names.add(s.job().name())) {
                throw new BadInputException("two traces are named '" + s.job().name() + "'; a fleet's jobs need distinct names");
            }
        }
        SimClock clock = new SimClock(epoch);
        JobReplay[] jobs = new JobReplay[n];
        List<SimContext> contexts = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            jobs[j] = new JobReplay(setups.get(j), strategy, clock, seriesBuckets);
            contexts.add(jobs[j].ctx);
        }
        FleetController controller = strategy.startFleet(contexts, n == 1 ? fleet.withoutBudget() : fleet);
        Stepper stepper = new Stepper(jobs, n > 1 ? pool : null);
        int[] due = new int[n];
        long[] steps = new long[n];
        long[] target = new long[n];
        while (true) {
            long tick = Long.MAX_VALUE;
            for (JobReplay j : jobs) {
                if (j.hasControl()) {
                    tick = Math.min(tick, j.controlSecond());
                }
            }
            if (tick == Long.MAX_VALUE) {
                break;
            }
            int count = 0;
            for (int j = 0; j < n; j++) {
                target[j] = jobs[j].stepsBefore(tick);
                if (jobs[j].hasControl() && jobs[j].controlSecond() == tick) {
                    due[count++] = j;
                    steps[j] = jobs[j].nextControl;
                }
            }
            stepper.advance(target);
            clock.set(epoch + tick);
            controller.control(due, count, steps);
            for (int k = 0; k < count; k++) {
                JobReplay j = jobs[due[k]];
                j.nextControl += j.ctx.setup().controlSteps();
            }
        }
        for (int j = 0; j < n; j++) {
            target[j] = setups.get(j).steps();
        }
        stepper.advance(target);
        List<RunResult> out = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            out.add(jobs[j].result(strategy.name(), controller.budgetHolds(j)));
        }
        return out;
    }

    /** Steps every job to its target, split over the pool in a few chunks of jobs. */
    private record Stepper(JobReplay[] jobs, ExecutorService pool) {

        void advance(long[] target) {
            if (pool == null) {
                for (int j = 0; j < jobs.length; j++) {
                    jobs[j].advanceTo(target[j]);
                }
                return;
            }
            int chunks = Math.min(jobs.length, Runtime.getRuntime().availableProcessors());
            List<Callable<Void>> tasks = new ArrayList<>(chunks);
            for (int c = 0; c < chunks; c++) {
                int from = (int) ((long) jobs.length * c / chunks);
                int to = (int) ((long) jobs.length * (c + 1) / chunks);
                tasks.add(() -> {
                    for (int j = from; j < to; j++) {
                        jobs[j].advanceTo(target[j]);
                    }
                    return null;
                });
            }
            try {
                for (Future<Void> f : pool.invokeAll(tasks)) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(c);
            }
        }
    }
}

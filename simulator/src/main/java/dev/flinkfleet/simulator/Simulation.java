package dev.flinkfleet.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import dev.flinkfleet.simulator.model.FluidJob;
import dev.flinkfleet.simulator.model.SeriesRecorder;
import dev.flinkfleet.simulator.report.Summary;

/**
 * Replays one job's trace through the job model under a strategy. The inner loop (one model step) touches only
 * primitives; the strategy's controller (a full control-loop cycle for policies) runs once per control interval.
 * Jobs of a fleet are independent replays, each on its own clock, so they run in parallel.
 */
public final class Simulation {

    private Simulation() {
    }

    /** Replays {@code setup} under {@code strategy}; records {@code seriesBuckets} plot buckets (0 = none). */
    public static RunResult run(SimContext.Setup setup, Strategy strategy, int seriesBuckets) {
        int initial = strategy.initialWorkers(setup);
        if (initial <= 0) {
            initial = setup.model().initialWorkers() > 0 ? setup.model().initialWorkers() : setup.model().workersFor(setup.rateAt(0));
        }
        FluidJob fluid = new FluidJob(setup.model(), setup.dtSeconds(), initial);
        SimulatedSignalSource source = new SimulatedSignalSource(setup.job(), fluid, setup.dtSeconds(), setup.delaySteps(), setup.windowSteps(), setup.growthSteps());
        SimClock clock = new SimClock(setup.epochAt(0));
        SimContext ctx = new SimContext(setup, fluid, source, clock);
        Controller controller = strategy.start(ctx);
        long steps = setup.steps();
        SeriesRecorder series = seriesBuckets > 0 ? new SeriesRecorder(setup.epochAt(0), setup.dtSeconds(), steps, seriesBuckets) : null;
        int control = setup.controlSteps();
        int sinceControl = 0;
        for (long i = 0; i < steps; i++) {
            if (sinceControl == control) {
                sinceControl = 0;
                clock.set(setup.epochAt(i));
                controller.control(ctx, i);
            }
            sinceControl++;
            double rate = setup.rateAt(i);
            fluid.step(rate);
            source.record();
            if (series != null) {
                series.record(i, rate, fluid.lastCapacityEps(), fluid.workers(), fluid.backlog(), fluid.lastLatency());
            }
        }
        return new RunResult(Summary.of(strategy.name(), setup, fluid), fluid.latencies(), series, setup.model().slaLatencySeconds());
    }

    /** Replays every job under {@code strategy} on {@code pool}; results in the order of {@code setups}. */
    public static List<RunResult> runFleet(List<SimContext.Setup> setups, Strategy strategy, int seriesBuckets, ExecutorService pool) {
        List<Future<RunResult>> futures = new ArrayList<>(setups.size());
        for (SimContext.Setup s : setups) {
            futures.add(pool.submit(() -> run(s, strategy, seriesBuckets)));
        }
        List<RunResult> out = new ArrayList<>(setups.size());
        for (Future<RunResult> f : futures) {
            try {
                out.add(f.get());
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
        return out;
    }
}

package dev.flinkfleet.simulator;

import dev.flinkfleet.simulator.model.FluidJob;
import dev.flinkfleet.simulator.model.SeriesRecorder;
import dev.flinkfleet.simulator.report.Summary;

/**
 * One job of a replay: its model, signal source and plot recorder, stepped forward on request. The inner loop
 * (one model step) touches only primitives. Not thread-safe; one thread steps it at a time.
 */
final class JobReplay {

    final SimContext ctx;
    private final SeriesRecorder series;
    private long done;
    /** Step index of the next control tick. */
    long nextControl;

    JobReplay(SimContext.Setup setup, Strategy strategy, SimClock clock, int seriesBuckets) {
        int initial = strategy.initialWorkers(setup);
        if (initial <= 0) {
            initial = setup.model().initialWorkers() > 0 ? setup.model().initialWorkers() : setup.model().workersFor(setup.rateAt(0));
        }
        FluidJob fluid = new FluidJob(setup.model(), setup.dtSeconds(), initial);
        SimulatedSignalSource source = new SimulatedSignalSource(setup.job(), fluid, setup.dtSeconds(), setup.delaySteps(), setup.windowSteps(), setup.growthSteps());
        this.ctx = new SimContext(setup, fluid, source, clock);
        this.series = seriesBuckets > 0 ? new SeriesRecorder(setup.epochAt(0), setup.dtSeconds(), setup.steps(), seriesBuckets) : null;
        this.nextControl = setup.controlSteps();
    }

    /** True while a control tick is left before the end of the trace. */
    boolean hasControl() {
        return nextControl < ctx.setup().steps();
    }

    /** Seconds from the start of the trace to the next control tick. */
    long controlSecond() {
        return nextControl * ctx.setup().dtSeconds();
    }

    /** The model steps that start before {@code second} (from the start of the trace), at most the whole trace. */
    long stepsBefore(long second) {
        int dt = ctx.setup().dtSeconds();
        return Math.min(ctx.setup().steps(), (second + dt - 1) / dt);
    }

    /** Steps the model until {@code target} steps are done. */
    void advanceTo(long target) {
        SimContext.Setup setup = ctx.setup();
        FluidJob fluid = ctx.fluid();
        SimulatedSignalSource source = ctx.signals();
        for (long i = done; i < target; i++) {
            double rate = setup.rateAt(i);
            fluid.step(rate);
            source.record();
            if (series != null) {
                series.record(i, rate, fluid.lastCapacityEps(), fluid.workers(), fluid.backlog(), fluid.lastLatency());
            }
        }
        done = Math.max(done, target);
    }

    RunResult result(String strategy, int budgetHolds) {
        SimContext.Setup setup = ctx.setup();
        return new RunResult(Summary.of(strategy, setup, ctx.fluid(), budgetHolds), ctx.fluid().latencies(), series, setup.model().slaLatencySeconds());
    }
}

package dev.flinkfleet.simulator.baselines;

import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.model.FluidJob;
import dev.flinkfleet.simulator.model.JobModel;

/**
 * The {@link Reference} planner's test of one worker count: a scratch copy of the job, rescaled to the count
 * first if it differs, run forward through the trace's true rates with {@link FluidJob}'s own arithmetic
 * (restart downtime, checkpoint replay, scaling exponent, max parallelism). Not thread-safe: one per job.
 */
final class ForwardRun {

    private final SimContext.Setup setup;
    private final FluidJob scratch;

    ForwardRun(SimContext.Setup setup) {
        this.setup = setup;
        this.scratch = new FluidJob(setup.model(), setup.dtSeconds(), 1);
    }

    /**
     * True when {@code workers}, from the state of {@code now} over model steps {@code [from, to)}, carries
     * {@code peak}, keeps latency within the SLA at every step and ends with no backlog. Stops at the first failure.
     */
    boolean passes(FluidJob now, int workers, long from, long to, double peak) {
        return run(now, workers, from, to, peak, true);
    }

    /** True when {@code workers} keeps latency within the SLA over {@code [from, to)}: the fallback test. */
    boolean keepsLatency(FluidJob now, int workers, long from, long to) {
        return run(now, workers, from, to, 0, false);
    }

    private boolean run(FluidJob now, int workers, long from, long to, double peak, boolean mustDrain) {
        JobModel m = setup.model();
        if (m.capacity(workers) < peak) {
            return false;
        }
        scratch.copyStateFrom(now);
        scratch.rescale(workers);
        for (long i = from; i < to; i++) {
            scratch.step(setup.rateAt(i));
            if (scratch.lastLatency() > m.slaLatencySeconds()) {
                return false;
            }
        }
        // Exact: a step that can process everything waiting leaves backlog = available - available = 0.
        return !mustDrain || scratch.backlog() <= 0;
    }
}

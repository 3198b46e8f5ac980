package dev.flinkfleet.simulator.baselines;

import java.util.function.IntPredicate;

import dev.flinkfleet.simulator.Controller;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.model.FluidJob;
import dev.flinkfleet.simulator.model.JobModel;

/**
 * The clairvoyant reference planner (issue 10): it knows the future rates and the true backlog and plans its own
 * restarts. At each control tick (outside a restart) it picks the smallest worker count that, run forward over
 * the next restart + 5 minutes (restarting first if the count changes), keeps latency within the SLA, carries
 * the window's peak rate and ends with no backlog; it rescales when the current count fails that test or when
 * the smallest passing count is more than one worker lower.
 *
 * <p>When no count passes (a restart now would push latency past the SLA, e.g. a backlog left by an earlier
 * scale-down meets a rise at the far end of the window), it falls back to the test of latency alone: it holds if
 * the current count keeps latency within the SLA (a later decision, with the backlog drained, rescales), else the
 * smallest count that does, else max parallelism. Without this, the plain rule goes to the largest count and
 * its restart itself breaks the SLA (0.33 minutes on the bundled NASA trace under the default model).
 *
 * <p>The search is a binary search because the test is monotone in the worker count among counts that restart:
 * every restart has the same downtime and replay, and more workers mean no less capacity at every step (the
 * scaling exponent is positive, max parallelism only caps it), hence no more backlog and no higher latency at any
 * step. Staying at the current count passes whenever restarting to it would (no downtime, no replay), so only the
 * current count breaks monotonicity, and the search ranges exclude it. About two forward runs per tick when it
 * holds, a few more when it moves: each O(restart + 5 min) model steps.
 */
public final class Reference implements Strategy {

    public static final String NAME = "reference";

    /** Look-ahead beyond the restart: the definition of the reference. */
    static final double LOOKAHEAD_AFTER_RESTART_SECONDS = 300;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Controller start(SimContext ctx) {
        SimContext.Setup s = ctx.setup();
        JobModel m = s.model();
        long window = Math.max(1, Math.round((m.restartSeconds() + LOOKAHEAD_AFTER_RESTART_SECONDS) / s.dtSeconds()));
        SlidingMax peaks = new SlidingMax(s.trace().rates(), (int) Math.min(Integer.MAX_VALUE - 1, window / s.stepsPerRow() + 2));
        ForwardRun run = new ForwardRun(s);
        int maxP = m.maxParallelism();
        return (c, step) -> {
            FluidJob f = c.fluid();
            long end = Math.min(s.steps(), step + window);
            if (f.restarting() || end <= step) {
                return;
            }
            double peak = peaks.max((int) (step / s.stepsPerRow()), (int) ((end - 1) / s.stepsPerRow())) * s.scale();
            int w = f.workers();
            if (run.passes(f, w, step, end, peak)) {
                // Only a count at least two lower moves it; by monotonicity, none passes if w - 2 does not.
                if (w > 2 && run.passes(f, w - 2, step, end, peak)) {
                    f.rescale(smallestPassing(run, f, step, end, peak, 1, w - 2));
                }
            } else if (w < maxP) {
                // Restarting to w or fewer cannot pass when staying at w does not.
                if (run.passes(f, maxP, step, end, peak)) {
                    f.rescale(smallestPassing(run, f, step, end, peak, w + 1, maxP));
                } else if (!run.keepsLatency(f, w, step, end)) {
                    f.rescale(run.keepsLatency(f, maxP, step, end) ? smallestKeepingLatency(run, f, step, end, w + 1, maxP) : maxP);
                }
            }
        };
    }

    /** The smallest count in {@code [lo, hi]} that passes, given that {@code hi} passes (binary search). */
    private static int smallestPassing(ForwardRun run, FluidJob f, long from, long to, double peak, int lo, int hi) {
        return smallest(lo, hi, n -> run.passes(f, n, from, to, peak));
    }

    /** The smallest count in {@code [lo, hi]} that keeps latency within the SLA, given that {@code hi} does. */
    private static int smallestKeepingLatency(ForwardRun run, FluidJob f, long from, long to, int lo, int hi) {
        return smallest(lo, hi, n -> run.keepsLatency(f, n, from, to));
    }

    private static int smallest(int lo, int hi, IntPredicate passes) {
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (passes.test(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return hi;
    }
}

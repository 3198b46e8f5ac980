package dev.flinkfleet.simulator.baselines;

import dev.flinkfleet.simulator.Controller;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.model.FluidJob;
import dev.flinkfleet.simulator.model.JobModel;

/**
 * Reference planner that knows the future trace and the job's true state (no metrics delay). Not a user policy
 * (it cannot exist in production); it shows what a practical best could reach on this trace and job model:
 * <ul>
 *   <li>it scales up before a rise, early enough that the restart is over when the traffic arrives (it looks
 *       restart + one control interval ahead);</li>
 *   <li>each rescale is sized to carry the peak of the next {@code hold} window (at least 30 min) plus enough
 *       spare capacity to drain the restart's backlog (input during the restart and the checkpoint replay)
 *       within half that window, and so that backlog ÷ capacity stays under half the SLA;</li>
 *   <li>it scales down only when the next {@code hold} window needs at least 15 % fewer workers, so short dips
 *       do not buy restarts.</li>
 * </ul>
 */
public final class Hindsight implements Strategy {

    public static final String NAME = "hindsight";

    /** Scale down only when the saving is at least this fraction of the current size. */
    private static final double DOWN_MARGIN = 0.15;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Controller start(SimContext ctx) {
        SimContext.Setup s = ctx.setup();
        JobModel m = s.model();
        double dt = s.dtSeconds();
        long lead = Math.round((m.restartSeconds() + m.controlIntervalSeconds()) / dt);
        long hold = Math.round(Math.max(1800, 10 * m.restartSeconds()) / dt) + lead;
        // Latency of the oldest waiting event is backlog ÷ capacity: keep it under half the SLA, and drain the
        // backlog within half the hold window so the next decision starts clean.
        double latencyBudget = m.slaLatencySeconds() / 2;
        double drainSeconds = hold * dt / 2;
        // Look-ahead maxima over the trace's rows; each window only moves forward, so each costs O(1) per tick.
        SlidingMax soonMax = new SlidingMax(s.trace().rates(), (int) Math.min(Integer.MAX_VALUE - 1, lead / s.stepsPerRow() + 2));
        SlidingMax windowMax = new SlidingMax(s.trace().rates(), (int) Math.min(Integer.MAX_VALUE - 1, hold / s.stepsPerRow() + 2));
        return (c, step) -> {
            FluidJob f = c.fluid();
            if (f.restarting()) {
                return;
            }
            double soon = maxRate(s, soonMax, step, lead);
            double window = maxRate(s, windowMax, step, hold);
            // Backlog after a rescale now: what waits already, input during the downtime, the checkpoint replay.
            double after = f.backlog() + soon * m.restartSeconds() + f.lastRate() * m.checkpointIntervalSeconds() / 2;
            int sized = m.workersFor(Math.max(window + after / drainSeconds, after / latencyBudget));
            int w = f.workers();
            boolean behind = f.backlog() / f.capacityEps() > latencyBudget;
            if ((m.capacity(w) < soon || behind) && w < m.maxParallelism()) {
                f.rescale(Math.min(m.maxParallelism(), Math.max(w + 1, sized)));
            } else if (sized <= w * (1 - DOWN_MARGIN) && f.backlog() / f.capacityEps() < 10) {
                f.rescale(sized);
            }
        };
    }

    private static double maxRate(SimContext.Setup s, SlidingMax rows, long from, long steps) {
        long last = Math.min(s.steps() - 1, from + steps);
        return rows.max((int) (from / s.stepsPerRow()), (int) (last / s.stepsPerRow())) * s.scale();
    }
}

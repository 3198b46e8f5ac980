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
 *   <li>each rescale is sized to carry the peak of the next {@code hold} window plus enough spare capacity to
 *       drain the restart's backlog (input during the restart and the checkpoint replay) within a third of the
 *       SLA, so it neither misses the SLA nor rescales again soon;</li>
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
        double drainSeconds = m.slaLatencySeconds() / 3;
        return (c, step) -> {
            FluidJob f = c.fluid();
            if (f.restarting()) {
                return;
            }
            double soon = maxRate(s, step, lead);
            double window = maxRate(s, step, hold);
            // Backlog a restart adds: input during the downtime and the checkpoint replay.
            double restartBacklog = window * (m.restartSeconds() + m.checkpointIntervalSeconds() / 2);
            int sized = m.workersFor(window + (f.backlog() + restartBacklog) / drainSeconds);
            int w = f.workers();
            boolean behind = f.backlog() / f.capacityEps() > drainSeconds;
            if ((m.capacity(w) < soon || behind) && w < m.maxParallelism()) {
                f.rescale(Math.min(m.maxParallelism(), Math.max(w + 1, sized)));
            } else if (sized <= w * (1 - DOWN_MARGIN) && f.backlog() / f.capacityEps() < 10) {
                f.rescale(sized);
            }
        };
    }

    private static double maxRate(SimContext.Setup s, long from, long steps) {
        long last = Math.min(s.steps() - 1, from + steps);
        double[] rates = s.trace().rates();
        double max = 0;
        for (int row = (int) (from / s.stepsPerRow()); row <= (int) (last / s.stepsPerRow()); row++) {
            max = Math.max(max, rates[row]);
        }
        return max * s.scale();
    }
}

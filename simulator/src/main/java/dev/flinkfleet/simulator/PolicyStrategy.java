package dev.flinkfleet.simulator;

import java.util.List;

import dev.flinkfleet.policies.ControlLoop;
import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.Governor;
import dev.flinkfleet.policies.InMemoryStateStore;
import dev.flinkfleet.policies.JobPlan;
import dev.flinkfleet.policies.ScalingPolicy;

/**
 * A user policy and governor, run through the daemon's own {@link ControlLoop} on the simulated clock, with the
 * simulated signal source and a recording actuator behind the loop's interfaces.
 *
 * @param name     name in summary.json (the application or policy name)
 * @param policy   the real policy instance
 * @param governor the real governor instance
 * @param listener observes every cycle (tests, decision logs); {@link CycleListener#NONE} by default
 */
public record PolicyStrategy(String name, ScalingPolicy policy, Governor governor, CycleListener listener) implements Strategy {

    public PolicyStrategy(String name, ScalingPolicy policy, Governor governor) {
        this(name, policy, governor, CycleListener.NONE);
    }

    @Override
    public Controller start(SimContext ctx) {
        RecordingActuator actuator = new RecordingActuator(ctx.fluid());
        ControlLoop loop = new ControlLoop(ctx.clock(), ctx.signals(), actuator, new InMemoryStateStore(), listener);
        List<JobPlan> plans = List.of(new JobPlan(ctx.setup().job(), name, policy, governor));
        return (c, step) -> loop.runCycle(plans);
    }
}

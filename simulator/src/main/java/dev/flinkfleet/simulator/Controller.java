package dev.flinkfleet.simulator;

/** Decides a job's size at each control tick of a replay. */
public interface Controller {

    /** Called at every control tick with the simulated clock already set; may rescale {@code ctx.fluid()}. */
    void control(SimContext ctx, long stepIndex);
}

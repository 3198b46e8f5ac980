package dev.flinkfleet.simulator.baselines;

import dev.flinkfleet.simulator.Controller;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.Strategy;

/** Baseline: a fixed size, the fewest workers that keep up with the trace's peak; never rescales. */
public final class StaticPeak implements Strategy {

    public static final String NAME = "static-peak";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int initialWorkers(SimContext.Setup setup) {
        return setup.model().workersFor(setup.scaledPeak());
    }

    @Override
    public Controller start(SimContext ctx) {
        return (c, step) -> {
        };
    }
}

package dev.flinkfleet.simulator.flink;

import dev.flinkfleet.simulator.engine.ReplayEngine;

/** {@code --engine flink}, found by the simulator's commands when this module is on the class path. */
public final class FlinkEngineProvider implements ReplayEngine.Provider {

    @Override
    public String name() {
        return "flink";
    }

    @Override
    public ReplayEngine create(String cluster, int parallelism) {
        return new FlinkReplayEngine(cluster == null ? null : ClusterAddress.parse(cluster), parallelism);
    }
}

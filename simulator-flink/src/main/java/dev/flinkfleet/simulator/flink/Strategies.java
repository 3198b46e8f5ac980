package dev.flinkfleet.simulator.flink;

import java.util.List;

import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.engine.FleetReplay;

/** Builds a replay's strategies on a task manager and checks they are the client's. */
final class Strategies {

    private Strategies() {
    }

    static List<Strategy> build(FleetReplay replay, List<String> names) {
        List<Strategy> built = replay.strategies().build();
        List<String> got = built.stream().map(Strategy::name).toList();
        if (!got.equals(names)) {
            // E.g. a baseline module (simulator-operator) on the client's class path but not on the cluster's.
            throw new IllegalStateException("the task built the strategies " + got + ", the client " + names
                    + "; the cluster's class path differs from the client's");
        }
        return built;
    }
}

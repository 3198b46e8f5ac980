package dev.flinkfleet.simulator.cli;

import dev.flinkfleet.simulator.PolicyFilesLoader;
import dev.flinkfleet.simulator.PolicyLoader;

/** The production policy loader: policy files and built-in names through the engine's PolicyFiles. */
final class Policies {

    private Policies() {
    }

    static PolicyLoader loader() {
        return PolicyFilesLoader.builtIn();
    }
}

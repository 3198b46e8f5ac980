package dev.flinkfleet.simulator.cli;

import java.util.Map;

import dev.flinkfleet.simulator.BadInputException;
import dev.flinkfleet.simulator.PolicyLoader;
import dev.flinkfleet.simulator.Strategy;

/** The production policy loader (policy files through the engine's PolicyFiles). */
final class Policies {

    private Policies() {
    }

    static PolicyLoader loader() {
        return new PolicyLoader() {
            @Override
            public Strategy load(String spec, Map<String, String> overrides, String label) {
                throw new BadInputException("policy files are not wired yet");
            }

            @Override
            public Strategy defaults(String policyName) {
                throw new BadInputException("policy files are not wired yet");
            }
        };
    }
}

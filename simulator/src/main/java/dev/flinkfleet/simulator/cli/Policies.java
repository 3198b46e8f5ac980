package dev.flinkfleet.simulator.cli;

import java.util.Map;

import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.governor.DefaultGovernor;
import dev.flinkfleet.policies.governor.GovernorConfig;
import dev.flinkfleet.simulator.BadInputException;
import dev.flinkfleet.simulator.PolicyLoader;
import dev.flinkfleet.simulator.PolicyStrategy;
import dev.flinkfleet.simulator.Strategy;

/** The production policy loader. INTERIM: built-in names with defaults only, until PolicyFiles lands. */
final class Policies {

    private Policies() {
    }

    static PolicyLoader loader() {
        PolicyRegistry registry = PolicyRegistry.builtIn();
        return new PolicyLoader() {
            @Override
            public Strategy load(String spec, Map<String, String> overrides, String label) {
                if (overrides.isEmpty() && registry.contains(spec)) {
                    return defaults(spec);
                }
                throw new BadInputException("policy files are not wired yet; use a built-in name: " + registry.all().keySet());
            }

            @Override
            public Strategy defaults(String policyName) {
                var params = ConfigFactory.defaultReference().getConfig("flinkfleet.policies." + policyName);
                return new PolicyStrategy(policyName, registry.get(policyName).create(params), new DefaultGovernor(GovernorConfig.defaults()));
            }
        };
    }
}

package dev.flinkfleet.simulator.cli;

import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;

import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.governor.DefaultGovernor;
import dev.flinkfleet.policies.governor.GovernorConfig;
import dev.flinkfleet.simulator.BadInputException;
import dev.flinkfleet.simulator.PolicyLoader;
import dev.flinkfleet.simulator.PolicyStrategy;
import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.model.JobModelFile;

/**
 * The production policy loader. INTERIM until the engine's PolicyFiles lands on main: built-in policy names only
 * (no policy files), with {@code params.*} / {@code governor.*} overrides merged over the reference defaults and
 * built by the registry's factory and the DefaultGovernor, as PolicyFiles will.
 */
final class Policies {

    private Policies() {
    }

    static PolicyLoader loader() {
        PolicyRegistry registry = PolicyRegistry.builtIn();
        Config ref = ConfigFactory.defaultReference();
        return new PolicyLoader() {
            @Override
            public Strategy load(String spec, Map<String, String> overrides, String label) {
                if (!registry.contains(spec)) {
                    throw new BadInputException("--policy '" + spec + "': policy files are not wired yet; use a built-in policy: "
                            + registry.all().keySet());
                }
                StringBuilder sb = new StringBuilder();
                overrides.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
                try {
                    Config given = ConfigFactory.parseString(sb.toString(), ConfigParseOptions.defaults().setOriginDescription("--grid"));
                    Config paramsRef = ref.getConfig("flinkfleet.policies." + spec);
                    Config governorRef = ref.getConfig(GovernorConfig.PATH);
                    Config params = given.hasPath("params") ? given.getConfig("params") : ConfigFactory.empty();
                    Config governor = given.hasPath("governor") ? given.getConfig("governor") : ConfigFactory.empty();
                    known(params, paramsRef, "params");
                    known(governor, governorRef, "governor");
                    String name = label == null ? spec : spec + " [" + label + "]";
                    return new PolicyStrategy(name, registry.get(spec).create(params.withFallback(paramsRef)),
                            new DefaultGovernor(GovernorConfig.fromConfig(governor.withFallback(governorRef))));
                } catch (ConfigException e) {
                    throw JobModelFile.error(e);
                }
            }

            @Override
            public Strategy defaults(String policyName) {
                return new PolicyStrategy(policyName, registry.get(policyName).create(ref.getConfig("flinkfleet.policies." + policyName)),
                        new DefaultGovernor(GovernorConfig.fromConfig(ref.getConfig(GovernorConfig.PATH))));
            }
        };
    }

    private static void known(Config given, Config reference, String prefix) {
        for (String key : given.root().keySet()) {
            if (!reference.hasPath(com.typesafe.config.ConfigUtil.joinPath(key))) {
                throw new BadInputException("--grid: unknown key '" + prefix + "." + key + "'; known: " + new java.util.TreeSet<>(reference.root().keySet()));
            }
        }
    }
}

package dev.flinkfleet.simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.typesafe.config.ConfigException;

import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.config.ApplicationPolicy;
import dev.flinkfleet.policies.config.PolicyFileException;
import dev.flinkfleet.policies.config.PolicyFiles;
import dev.flinkfleet.simulator.model.JobModelFile;

/**
 * Loads policies exactly as the daemon does ({@link PolicyFiles} over the {@link PolicyRegistry}), so a replay
 * runs the same policy and governor classes with the same validated parameters.
 */
public final class PolicyFilesLoader implements PolicyLoader {

    private final PolicyRegistry registry;

    public PolicyFilesLoader(PolicyRegistry registry) {
        this.registry = registry;
    }

    public static PolicyFilesLoader builtIn() {
        return new PolicyFilesLoader(PolicyRegistry.builtIn());
    }

    @Override
    public Strategy load(String spec, Map<String, String> overrides, String label) {
        Path file = Path.of(spec);
        ApplicationPolicy app;
        try {
            if (Files.isRegularFile(file)) {
                app = PolicyFiles.loadFile(file, registry, overrides);
            } else if (registry.contains(spec)) {
                app = overrides.isEmpty() ? PolicyFiles.forDefaults(spec, registry) : PolicyFiles.forDefaults(spec, registry, overrides);
            } else {
                throw new BadInputException("--policy '" + spec + "': no such policy file, and no built-in policy of that name; known: "
                        + registry.all().keySet());
            }
        } catch (PolicyFileException e) {
            // Each problem names the user's policy file and line, or the --grid value; the label says which grid point.
            throw BadInputException.of(e.errors().stream().map(m -> label != null ? m + " (grid point " + label + ")" : m).toList(), e);
        } catch (ConfigException e) {
            throw JobModelFile.error(e);
        }
        return new PolicyStrategy(label != null ? app.name() + " [" + label + "]" : app.name(), app.policy(), app.governor());
    }

    @Override
    public Strategy defaults(String policyName) {
        try {
            ApplicationPolicy app = PolicyFiles.forDefaults(policyName, registry);
            return new PolicyStrategy(policyName, app.policy(), app.governor());
        } catch (PolicyFileException e) {
            throw BadInputException.of(e.errors(), e);
        }
    }
}

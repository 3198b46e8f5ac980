package dev.flinkfleet.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
                app = overrides.isEmpty() ? PolicyFiles.loadFile(file, registry)
                        : withOverrides(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8), overrides, label);
            } else if (registry.contains(spec)) {
                app = overrides.isEmpty() ? PolicyFiles.forDefaults(spec, registry)
                        : withOverrides(spec + ".conf", "application { policy = \"" + spec + "\" }\n", overrides, label);
            } else {
                throw new BadInputException("--policy '" + spec + "': no such policy file, and no built-in policy of that name; known: "
                        + registry.all().keySet());
            }
        } catch (PolicyFileException e) {
            throw new BadInputException(e.getMessage(), e);
        } catch (ConfigException e) {
            throw JobModelFile.error(e);
        } catch (IOException e) {
            throw new BadInputException(spec + ": cannot read: " + e.getMessage(), e);
        }
        return new PolicyStrategy(label != null ? app.name() + " [" + label + "]" : app.name(), app.policy(), app.governor());
    }

    @Override
    public Strategy defaults(String policyName) {
        try {
            ApplicationPolicy app = PolicyFiles.forDefaults(policyName, registry);
            return new PolicyStrategy(policyName, app.policy(), app.governor());
        } catch (PolicyFileException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    /**
     * The policy file with {@code application.<key> = <value>} lines appended (HOCON merges later keys over earlier),
     * written to a temporary folder under the same file name, so the application keeps its name and every value
     * goes through the daemon's own validation.
     */
    private ApplicationPolicy withOverrides(String fileName, String text, Map<String, String> overrides, String label) throws IOException {
        Path dir = Files.createTempDirectory("flinkfleet-sweep");
        Path tmp = dir.resolve(fileName);
        StringBuilder sb = new StringBuilder(text).append("\n# overrides from --grid\n");
        overrides.forEach((k, v) -> sb.append("application.").append(k).append(" = ").append(v).append('\n'));
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        try {
            return PolicyFiles.loadFile(tmp, registry);
        } catch (PolicyFileException e) {
            throw new BadInputException("with --grid " + label + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(dir);
        }
    }
}

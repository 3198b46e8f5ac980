package dev.flinkfleet.policies.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.governor.GovernorConfig;

/**
 * A policy's governor defaults ({@code flinkfleet.policy-governor-defaults.<policy>}) go under the application's
 * own governor block and over {@code flinkfleet.governor}, whether the policy is named in a file, by name alone,
 * or through a sweep's override.
 */
class PolicyGovernorDefaultsTest {

    private static final PolicyRegistry REGISTRY = PolicyRegistry.builtIn();

    @TempDir
    Path dir;

    /** The four keys the predictive policy's defaults set, as read. */
    record Rules(double tolerance, Duration window, double stepDown, Duration downCooldown) {
        static Rules of(GovernorConfig g) {
            return new Rules(g.tolerance(), g.scaleDownStabilizationWindow(), g.maxStepDownFraction(), g.scaleDownCooldown());
        }
    }

    static final Rules PREDICTIVE = new Rules(0, Duration.ZERO, 1, Duration.ofMinutes(5));
    static final Rules REFERENCE = new Rules(0.1, Duration.ofMinutes(15), 0.5, Duration.ofMinutes(10));

    record Case(String name, String policy, String governorBlock, Rules expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> files() {
        return Stream.of(
                new Case("predictive gets its own rules", "predictive", "", PREDICTIVE),
                new Case("the application's block wins over them", "predictive", "governor { tolerance = 0.2, scale-down-stabilization-window = 3m }",
                        new Rules(0.2, Duration.ofMinutes(3), 1, Duration.ofMinutes(5))),
                new Case("keys they do not set stay at the reference", "predictive", "governor { max-workers = 7 }", PREDICTIVE),
                new Case("a policy without defaults gets the reference", "sla-headroom", "", REFERENCE),
                new Case("its own block still applies", "sla-headroom", "governor { tolerance = 0 }",
                        new Rules(0, Duration.ofMinutes(15), 0.5, Duration.ofMinutes(10))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void layersPolicyDefaultsBetweenTheFileAndTheReference(Case c) throws IOException {
        Path f = dir.resolve("app.conf");
        Files.writeString(f, "application {\n  policy = \"" + c.policy() + "\"\n  " + c.governorBlock() + "\n}\n");
        ApplicationPolicy app = PolicyFiles.loadFile(f, REGISTRY);
        assertEquals(c.expected(), Rules.of(app.governorConfig()));
        if (c.governorBlock().contains("max-workers")) {
            assertEquals(7, app.governorConfig().maxWorkers());
        }
    }

    @Test
    void namingThePolicyAloneGetsTheSameRules() {
        assertEquals(PREDICTIVE, Rules.of(PolicyFiles.forDefaults("predictive", REGISTRY).governorConfig()));
        assertEquals(REFERENCE, Rules.of(PolicyFiles.forDefaults("sla-headroom", REGISTRY).governorConfig()));
        // A sweep's override is the application's own rule.
        assertEquals(new Rules(0.3, Duration.ZERO, 1, Duration.ofMinutes(5)),
                Rules.of(PolicyFiles.forDefaults("predictive", REGISTRY, Map.of("governor.tolerance", "0.3")).governorConfig()));
    }

    @Test
    void everyDeclaredBlockNamesABuiltInPolicyAndValidGovernorKeys() {
        var blocks = Reference.get().getObject(PolicyFiles.POLICY_GOVERNOR);
        assertTrue(blocks.containsKey("predictive"), blocks.keySet().toString());
        for (String policy : blocks.keySet()) {
            assertTrue(REGISTRY.contains(policy), policy + " is not a built-in policy");
            // Throws, naming reference.conf and the key, on an unknown key or a bad value.
            GovernorSettings.read(PolicyFiles.policyGovernor(Reference.get(), policy)
                    .withFallback(Reference.get().getObject(GovernorConfig.PATH)).toConfig());
        }
    }
}

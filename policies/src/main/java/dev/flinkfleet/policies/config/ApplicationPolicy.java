package dev.flinkfleet.policies.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import dev.flinkfleet.policies.Governor;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.governor.GovernorConfig;

/**
 * One validated policy file: which jobs it selects and the policy and governor they run under.
 *
 * @param name           application name (unique across the policy directory)
 * @param file           the policy file; null for an in-memory application ({@link PolicyFiles#forDefaults})
 * @param selector       which jobs it governs
 * @param policyName     registry name of the policy
 * @param policy         the policy built with the file's parameters
 * @param governorConfig the governor rules after merging the file over the defaults
 * @param governor       the governor built from {@code governorConfig}
 * @param slaLatency     latency promised to the application's tenants
 * @param wiring         where its jobs' signals come from and which field carries their size
 */
public record ApplicationPolicy(
        String name,
        Path file,
        Selector selector,
        String policyName,
        ScalingPolicy policy,
        GovernorConfig governorConfig,
        Governor governor,
        Duration slaLatency,
        SignalWiring wiring) {

    public ApplicationPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(policyName, "policyName");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(governorConfig, "governorConfig");
        Objects.requireNonNull(governor, "governor");
        Objects.requireNonNull(slaLatency, "slaLatency");
        Objects.requireNonNull(wiring, "wiring");
    }

    /** An application with the reference wiring ({@link SignalWiring#DEFAULTS}). */
    public ApplicationPolicy(String name, Path file, Selector selector, String policyName, ScalingPolicy policy,
                             GovernorConfig governorConfig, Governor governor, Duration slaLatency) {
        this(name, file, selector, policyName, policy, governorConfig, governor, slaLatency, SignalWiring.DEFAULTS);
    }

    /** Where it came from, for messages. */
    public String source() {
        return file == null ? "<defaults>" : file.toString();
    }
}

package dev.flinkfleet.autoscaler.cli;

import picocli.CommandLine.Command;

/** {@code policy}: work with per-application policy files without a cluster. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Check, explain and list scaling policies.",
        subcommands = {PolicyCheckCommand.class, PolicyExplainCommand.class, PolicyListCommand.class, PolicyKeysCommand.class})
public final class PolicyCommand {
}

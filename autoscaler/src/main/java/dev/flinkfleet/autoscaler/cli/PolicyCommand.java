package dev.flinkfleet.autoscaler.cli;

import picocli.CommandLine.Command;

/** {@code policy}: work with per-application policy files without a cluster. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Check, explain, list and import scaling policies.",
        subcommands = {PolicyCheckCommand.class, PolicyExplainCommand.class, PolicyListCommand.class, PolicyKeysCommand.class,
                PolicyImportCommand.class})
public final class PolicyCommand {
}

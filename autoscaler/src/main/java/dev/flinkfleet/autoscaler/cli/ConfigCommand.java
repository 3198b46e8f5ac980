package dev.flinkfleet.autoscaler.cli;

import picocli.CommandLine.Command;

/** {@code config}: work with the daemon config file without a cluster. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Check the daemon config file.",
        subcommands = {ConfigCheckCommand.class})
public final class ConfigCommand {
}

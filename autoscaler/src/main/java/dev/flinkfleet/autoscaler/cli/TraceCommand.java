package dev.flinkfleet.autoscaler.cli;

import picocli.CommandLine.Command;

/** {@code trace}: work with traffic traces (the simulator's input). */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Record traffic traces for the simulator.",
        subcommands = {TraceRecordCommand.class})
public final class TraceCommand {
}

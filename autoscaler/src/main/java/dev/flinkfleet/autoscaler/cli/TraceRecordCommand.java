package dev.flinkfleet.autoscaler.cli;

import picocli.CommandLine.Command;

/** {@code trace record}: write a trace CSV from a real source. */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = {"Write a trace CSV (timestamp,events_per_second, one row per step, # provenance lines on top) "
                + "that `simulate`, `sweep` and `tune` replay.",
                "Exit 0 when written, 2 on bad input (unknown topic, range beyond retention, a query with several series, "
                + "an unreachable backend), with a one-line error."},
        subcommands = {TraceRecordKafkaCommand.class, TraceRecordPrometheusCommand.class})
final class TraceRecordCommand {
}

package dev.flinkfleet.autoscaler.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bench}: speed measurements that BENCHMARKS.md quotes; {@code bench simulator} replays a synthetic fleet. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure speed: `bench simulator` replays a synthetic fleet and prints job-steps per cpu-second.")
public final class BenchGroupCommand {

    /** The group with its subcommands; the simulator's own command is named {@code bench}, so it is renamed here. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new BenchGroupCommand());
        cl.addSubcommand("simulator", new dev.flinkfleet.simulator.cli.BenchCommand());
        return cl;
    }
}

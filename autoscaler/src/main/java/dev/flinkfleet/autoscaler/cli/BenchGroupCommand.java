package dev.flinkfleet.autoscaler.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bench}: speed measurements that BENCHMARKS.md quotes; {@code bench simulator} replays a synthetic fleet,
 * {@code bench quality} tabulates scaling quality. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure: `bench simulator` replays a synthetic fleet and prints job-steps per cpu-second; "
                + "`bench quality` prints cost, SLA minutes and rescales per day of every strategy on given traces.")
public final class BenchGroupCommand {

    /** The group with its subcommands; the simulator's own command is named {@code bench}, so it is renamed here. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new BenchGroupCommand());
        cl.addSubcommand("simulator", new dev.flinkfleet.simulator.cli.BenchCommand());
        cl.addSubcommand("quality", new dev.flinkfleet.simulator.cli.QualityCommand());
        return cl;
    }
}

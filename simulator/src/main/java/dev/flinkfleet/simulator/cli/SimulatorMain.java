package dev.flinkfleet.simulator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Runs the simulator's commands directly, for development; the product CLI registers the same commands. */
@Command(name = "simulator", mixinStandardHelpOptions = true, subcommands = {SimulateCommand.class, SweepCommand.class, TuneCommand.class, BenchCommand.class},
        description = "Trace-driven simulator for the fleet autoscaler's policies.")
public final class SimulatorMain {

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulatorMain()).execute(args));
    }
}

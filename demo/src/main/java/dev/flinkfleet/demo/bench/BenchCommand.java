package dev.flinkfleet.demo.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/autoscaler bench ...}: benchmarks that need the testkit's real backends (not in the daemon's jar). */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = FleetBenchCommand.class,
        description = "Benchmarks of the real daemon against real backends on loopback.")
public final class BenchCommand implements Runnable {

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "flinkfleet-demo-logback.xml");
        }
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}

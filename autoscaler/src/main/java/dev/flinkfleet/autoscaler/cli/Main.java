package dev.flinkfleet.autoscaler.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;

import dev.flinkfleet.autoscaler.config.Secrets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code autoscaler} command line ({@code bin/autoscaler}). Exit codes: 0 ok, 1 problems found (invalid
 * files, a job matched twice, a failed decision), 2 usage error.
 */
@Command(name = "autoscaler", mixinStandardHelpOptions = true, version = "flinkfleet 0.1.0",
        description = "Autoscaler for fleets of Flink jobs: simulates policies on recorded traffic, checks and explains per-application policy files.")
public final class Main {

    /** Exit code when the command ran and found problems. */
    public static final int PROBLEMS = 1;

    /**
     * Top-level subcommands, in help order. To add a command (simulate, sweep, run, demo), add its
     * constructor here; it gets its output streams from picocli ({@code spec.commandLine().getOut()}).
     */
    static final List<Supplier<Object>> COMMANDS = List.of(
            PolicyCommand::new,
            ConfigCommand::new,
            dev.flinkfleet.simulator.cli.SimulateCommand::new,
            dev.flinkfleet.simulator.cli.SweepCommand::new,
            dev.flinkfleet.simulator.cli.TuneCommand::new,
            CalibrateCommand::new,
            BenchGroupCommand::commandLine,
            TraceCommand::new,
            RunCommand::new,
            DemoEntryCommand::new,
            CompletionCommand::new);

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given streams and returns the exit code (tests call this). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        // Set after the subcommands are added: picocli passes the streams down the tree at call time.
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("error: " + Secrets.maskSecrets(ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return PROBLEMS;
        });
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The full command tree. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (Supplier<Object> c : COMMANDS) {
            cl.addSubcommand(c.get());
        }
        return cl;
    }
}

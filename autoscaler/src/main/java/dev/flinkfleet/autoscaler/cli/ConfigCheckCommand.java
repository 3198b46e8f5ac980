package dev.flinkfleet.autoscaler.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.flinkfleet.autoscaler.config.DaemonConfigFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code config check FILE}: validates a daemon config as {@code run} would, without connecting to anything
 * (no Kubernetes, Kafka or Prometheus), and prints the effective settings with secrets masked. Exit 0 when
 * valid, 2 (as {@code run}) with every problem as {@code file:line: key: message} otherwise.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Validate a daemon config file (and the policy files of its policies-dir, when that directory exists) "
                + "without connecting to anything; print the effective settings with secrets masked.",
                "Exit 0 when valid, 2 with every problem as file:line: key: message."})
final class ConfigCheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Daemon config (HOCON), e.g. config/autoscaler.conf.")
    Path file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DaemonConfigFile.Result r = DaemonConfigFile.load(file, false, true);
        if (!r.ok()) {
            r.problems().forEach(p -> out.println("ERROR " + p));
            out.println(r.problems().size() + (r.problems().size() == 1 ? " error" : " errors"));
            return RunCommand.BAD_CONFIG;
        }
        DaemonConfigFile.effectiveSettings(r.config()).forEach(out::println);
        Path dir = Path.of(r.config().getString("flinkfleet.daemon.policies-dir").strip());
        out.println(file + ": OK" + (Files.isDirectory(dir) ? ", policy files in " + dir + " OK"
                : "; policies-dir " + dir + " does not exist here, not checked (run needs it)"));
        return 0;
    }
}

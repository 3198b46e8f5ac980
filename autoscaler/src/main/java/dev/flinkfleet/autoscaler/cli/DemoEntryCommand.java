package dev.flinkfleet.autoscaler.cli;

import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * The {@code demo} entry of the help. The demo itself lives in its own jar (it brings an embedded Kafka, a mock
 * Kubernetes API and Flink, none of which belong in the daemon's jar); {@code bin/autoscaler demo} starts that
 * jar before this command line is reached. Reached directly ({@code java -jar flinkfleet.jar demo}), it says so.
 */
@Command(name = "demo",
        description = "Run the autoscaler against an embedded Kafka, Kubernetes API and a real Flink job, replaying a day of "
                + "real traffic in minutes (its own jar; see bin/autoscaler demo --help).")
final class DemoEntryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Whatever options were meant for the demo. */
    @Unmatched
    List<String> demoArgs;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("error: the demo runs from its own jar: start it with bin/autoscaler demo"
                + (demoArgs == null || demoArgs.isEmpty() ? "" : " " + String.join(" ", demoArgs)));
        return 2;
    }
}

package dev.flinkfleet.simulator.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.flinkfleet.simulator.Fleet;
import dev.flinkfleet.simulator.FleetSettings;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.trace.Trace;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every replay command shares (traces, job model, output, threads), as a picocli mixin. */
public final class ReplayOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--trace", paramLabel = "T", description = "Trace CSV (timestamp,events_per_second) or a folder of them (a fleet: one job per file). Repeatable. Default: the bundled NASA 1995 trace.")
    List<Path> traces = new ArrayList<>();

    @Option(names = "--job", paramLabel = "J", description = "Job-model HOCON file (keys: flinkfleet.simulator.job-model in reference.conf). Default: the bundled default-job.conf.")
    Path job;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    /**
     * The traces as read, in order (the job model is read first, so a bad job file fails fast), and the fleet's
     * settings.
     */
    record Loaded(List<Trace> traces, List<SimContext.Setup> setups, FleetSettings fleet) {
    }

    Loaded load() {
        var models = Fleet.jobModel(job);
        List<Trace> ts = Fleet.traces(traces);
        return new Loaded(ts, Fleet.setups(ts, models), models.fleet());
    }

    PrintWriter err() {
        return spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
    }

    PrintWriter out() {
        return spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
    }
}

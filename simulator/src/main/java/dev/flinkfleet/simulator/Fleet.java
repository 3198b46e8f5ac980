package dev.flinkfleet.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

import dev.flinkfleet.simulator.baselines.Hindsight;
import dev.flinkfleet.simulator.baselines.Reference;
import dev.flinkfleet.simulator.baselines.StaticPeak;
import dev.flinkfleet.simulator.model.JobModelFile;
import dev.flinkfleet.simulator.report.Summary;
import dev.flinkfleet.simulator.trace.Trace;
import dev.flinkfleet.simulator.trace.TraceReader;

/** Input wiring shared by the commands: traces, job models, baselines, and per-strategy result rows. */
public final class Fleet {

    /** The trace replayed when {@code --trace} is not given. */
    public static final String BUNDLED_TRACE = "traces/nasa_http_1995.csv";

    /** The built-in policies run with defaults by {@code --baselines}. */
    public static final List<String> BASELINE_POLICIES = List.of("backlog-drain", "target-utilization", "lag-threshold");

    private Fleet() {
    }

    public static List<Trace> traces(List<Path> paths) {
        if (paths == null || paths.isEmpty()) {
            return List.of(bundledTrace());
        }
        return TraceReader.readAll(paths);
    }

    static Trace bundledTrace() {
        try (InputStream in = Fleet.class.getResourceAsStream("/" + BUNDLED_TRACE)) {
            if (in == null) {
                throw new IllegalStateException("bundled trace missing: " + BUNDLED_TRACE);
            }
            return TraceReader.parse("nasa_http_1995.csv", "classpath:" + BUNDLED_TRACE, new java.io.BufferedInputStream(in));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JobModelFile jobModel(Path file) {
        return file == null ? JobModelFile.defaults() : JobModelFile.load(file);
    }

    /** One setup per trace; an override for a file that is not among the traces is an error (likely a typo). */
    public static List<SimContext.Setup> setups(List<Trace> traces, JobModelFile models) {
        Set<String> files = new TreeSet<>();
        List<SimContext.Setup> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Trace t : traces) {
            files.add(t.fileName());
            try {
                out.add(SimContext.Setup.of(t, models.modelFor(t.fileName()), key -> models.keyAt(t.fileName(), key)));
            } catch (BadInputException e) {
                problems.addAll(e.problems());
            }
        }
        for (String o : models.overrideNames()) {
            if (!files.contains(o)) {
                problems.add(models.overrideAt(o) + ": job model overrides \"" + o + "\", which is none of the traces: " + files);
            }
        }
        for (String p : new TreeSet<>(models.fleet().pausedTraces())) {
            if (!files.contains(p)) {
                problems.add(models.pausedAt() + " names \"" + p + "\", which is none of the traces: " + files);
            }
        }
        if (!problems.isEmpty()) {
            throw BadInputException.of(problems);
        }
        return out;
    }

    /**
     * The baselines on the same traces: static-peak, the built-in policies with defaults, hindsight, the clairvoyant
     * reference, then those of every {@link BaselineProvider} on the class path (in the order of their class names).
     */
    public static List<Strategy> baselines(PolicyLoader loader) {
        List<Strategy> out = new ArrayList<>();
        out.add(new StaticPeak());
        for (String p : BASELINE_POLICIES) {
            out.add(loader.defaults(p));
        }
        out.add(new Hindsight());
        out.add(new Reference());
        ServiceLoader.load(BaselineProvider.class).stream()
                .sorted(Comparator.comparing(p -> p.type().getName()))
                .forEach(p -> out.addAll(p.get().baselines()));
        return out;
    }

    /** Per-job rows, plus a fleet total when there is more than one job. */
    public static List<Summary> rows(String policy, List<RunResult> runs) {
        List<Summary> out = new ArrayList<>();
        for (RunResult r : runs) {
            out.add(r.summary());
        }
        if (runs.size() > 1) {
            out.add(Summary.total(policy, runs));
        }
        return out;
    }

    /** The row that stands for a whole run: the fleet total, or the only job. */
    public static Summary headline(String policy, List<RunResult> runs) {
        return runs.size() == 1 ? runs.get(0).summary() : Summary.total(policy, runs);
    }
}

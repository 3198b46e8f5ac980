package dev.flinkfleet.simulator.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.typesafe.config.ConfigException;

import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.config.ApplicationPolicy;
import dev.flinkfleet.policies.config.PolicyFileException;
import dev.flinkfleet.policies.config.PolicyFiles;
import dev.flinkfleet.simulator.BadInputException;
import dev.flinkfleet.simulator.Fleet;
import dev.flinkfleet.simulator.PolicyLoader;
import dev.flinkfleet.simulator.RunResult;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.Simulation;
import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.report.Summary;
import dev.flinkfleet.simulator.sweep.Grid;
import dev.flinkfleet.simulator.sweep.Pareto;
import dev.flinkfleet.simulator.sweep.ParamRange;
import dev.flinkfleet.simulator.sweep.ParetoReport;
import dev.flinkfleet.simulator.sweep.TrainTestSplit;
import dev.flinkfleet.simulator.sweep.TuneReport;
import dev.flinkfleet.simulator.trace.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code tune}: a coarse-to-fine search over a policy file's params/governor keys for the cheapest setting at 0
 * SLA-violation minutes on the first part of each trace, validated on the rest.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = {"Search a policy file's params/governor keys (coarse-to-fine grids on all cores) for the cheapest setting",
                "at 0 SLA-violation minutes on the first part of each trace (train), then replay the winner on the rest (test).",
                "Writes DIR/tuned-<application>.conf, DIR/tune.json and DIR/pareto.html. Exit 0 ok, 1 bad input, 2 bad option."})
public final class TuneCommand implements Callable<Integer> {

    /** Grid points per key and round: the ends and the middle of the round's span. */
    static final int POINTS = 3;

    /**
     * Searched when no {@code --param} is given: the policy's main sizing knob where it has one, and the governor's
     * scale-down cooldown, which trades rescales (outages) for cost on every policy.
     */
    static final Map<String, List<String>> DEFAULT_PARAMS = Map.of(
            "sla-headroom", List.of("params.target-utilization=0.5..0.95", "governor.scale-down-cooldown=1m..20m"),
            "target-utilization", List.of("params.target-utilization=0.5..0.95", "governor.scale-down-cooldown=1m..20m"));
    static final List<String> OTHER_DEFAULT_PARAMS = List.of("governor.tolerance=0.05..0.3", "governor.scale-down-cooldown=1m..20m");

    @Mixin
    ReplayOptions replay = new ReplayOptions();

    @Option(names = "--policy", paramLabel = "FILE", required = true, description = "Policy file to tune (its text is kept in the tuned file).")
    Path policy;

    @Option(names = "--param", paramLabel = "KEY=LO..HI",
            description = "A key to search and its range, numbers or durations, e.g. params.target-utilization=0.5..0.95 or "
                    + "governor.scale-down-cooldown=1m..20m. Repeatable. Default: for sla-headroom and target-utilization, "
                    + "params.target-utilization=0.5..0.95 and governor.scale-down-cooldown=1m..20m; otherwise "
                    + "governor.tolerance=0.05..0.3 and governor.scale-down-cooldown=1m..20m.")
    List<String> params = new ArrayList<>();

    @Option(names = "--train-fraction", paramLabel = "F", description = "Share of each trace's rows (from its start) to tune on; the rest tests the winner. Default: ${DEFAULT-VALUE}.")
    double trainFraction = 0.7;

    @Option(names = "--rounds", paramLabel = "N", description = "Coarse-to-fine rounds; each halves every key's span around the best so far. Default: ${DEFAULT-VALUE}.")
    int rounds = 3;

    private final PolicyLoader loader;

    public TuneCommand() {
        this(Policies.loader());
    }

    public TuneCommand(PolicyLoader loader) {
        this.loader = loader;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = replay.err();
        PrintWriter stdout = replay.out();
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw bad("--train-fraction " + trainFraction + ": must be between 0 and 1 (exclusive)");
        }
        if (rounds < 1) {
            throw bad("--rounds " + rounds + ": must be at least 1");
        }
        if (!Files.isRegularFile(policy)) {
            throw bad("--policy '" + policy + "': no such policy file");
        }
        try {
            ApplicationPolicy app;
            try {
                app = PolicyFiles.loadFile(policy, PolicyRegistry.builtIn());
            } catch (PolicyFileException e) {
                throw BadInputException.of(e.errors(), e);
            }
            List<ParamRange> ranges = ranges(params.isEmpty() ? DEFAULT_PARAMS.getOrDefault(app.policyName(), OTHER_DEFAULT_PARAMS) : params);
            ReplayOptions.Loaded loaded = replay.load();
            List<SimContext.Setup> train = new ArrayList<>();
            List<SimContext.Setup> test = new ArrayList<>();
            for (SimContext.Setup s : loaded.setups()) {
                TrainTestSplit split = TrainTestSplit.of(s, trainFraction);
                train.add(split.train());
                test.add(split.test());
            }

            Map<String, TuneReport.Tried> tried = new LinkedHashMap<>();
            Map<String, Double> center = new LinkedHashMap<>();
            ranges.forEach(r -> center.put(r.key(), (r.lo() + r.hi()) / 2));
            TuneReport.Tried best = null;
            for (int round = 1; round <= rounds; round++) {
                List<Map<String, String>> fresh = new ArrayList<>();
                for (Map<String, String> c : grid(ranges, center, round).combinations()) {
                    if (!tried.containsKey(Grid.label(c))) {
                        fresh.add(c);
                    }
                }
                err.println("round " + round + "/" + rounds + ": " + fresh.size() + " new setting(s) on the train part");
                err.flush();
                List<Strategy> strategies = new ArrayList<>();
                for (Map<String, String> c : fresh) {
                    strategies.add(loader.load(policy.toString(), c, Grid.label(c)));
                }
                List<List<RunResult>> results = SweepCommand.runAll(strategies, train, loaded.fleet(), err, replay.threads);
                for (int i = 0; i < fresh.size(); i++) {
                    tried.put(Grid.label(fresh.get(i)), new TuneReport.Tried(fresh.get(i), Fleet.headline(strategies.get(i).name(), results.get(i))));
                }
                best = best(tried.values());
                for (ParamRange r : ranges) {
                    center.put(r.key(), Double.parseDouble(numeric(r, best.params().get(r.key()))));
                }
            }
            boolean zeroSla = best.train().slaViolationMinutes() == 0;
            Strategy winner = loader.load(policy.toString(), best.params(), Grid.label(best.params()) + " test");
            Summary tested = Fleet.headline(winner.name(), Simulation.runFleet(test, winner, 0, loaded.fleet(), null));

            Files.createDirectories(replay.out);
            Path tuned = replay.out.resolve("tuned-" + app.name() + ".conf");
            Files.writeString(tuned, tunedText(Files.readString(policy, StandardCharsets.UTF_8), best, tested), StandardCharsets.UTF_8);
            List<String> traceNames = loaded.traces().stream().map(Trace::fileName).toList();
            new TuneReport(policy.toString(), traceNames, trainFraction, rounds, ranges, List.copyOf(tried.values()), zeroSla, best, tested)
                    .write(replay.out);
            writePareto(traceNames, tried);

            if (!zeroSla) {
                stdout.println("no setting reached 0 SLA-violation minutes on the train part; the winner has the fewest, then the lowest cost");
            }
            stdout.println("winner: " + Grid.label(best.params()));
            stdout.println(row(String.format(Locale.ROOT, "train (first %.0f%%)", trainFraction * 100), best.train()));
            stdout.println(row(String.format(Locale.ROOT, "test (last %.0f%%)", (1 - trainFraction) * 100), tested));
            stdout.println("wrote " + tuned + ", " + replay.out.resolve("tune.json") + " and " + replay.out.resolve("pareto.html"));
            stdout.flush();
            return 0;
        } catch (BadInputException | ConfigException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(replay.spec.commandLine(), message);
    }

    private List<ParamRange> ranges(List<String> specs) {
        List<ParamRange> out = new ArrayList<>();
        for (String s : specs) {
            ParamRange r;
            try {
                r = ParamRange.parse(s);
            } catch (IllegalArgumentException e) {
                throw bad("--param " + e.getMessage());
            }
            if (out.stream().anyMatch(o -> o.key().equals(r.key()))) {
                throw bad("--param: key '" + r.key() + "' given twice");
            }
            out.add(r);
        }
        return out;
    }

    /** Round {@code round}'s grid: each key's span is the range halved {@code round - 1} times, centred on the best so far. */
    static Grid grid(List<ParamRange> ranges, Map<String, Double> center, int round) {
        List<String> axes = new ArrayList<>();
        for (ParamRange r : ranges) {
            double span = (r.hi() - r.lo()) / Math.pow(2, round - 1);
            axes.add(r.key() + "=" + String.join(",", r.values(center.get(r.key()), span, POINTS).stream().map(r::format).toList()));
        }
        return Grid.parse(axes);
    }

    /** Cheapest at 0 SLA-violation minutes; when none has 0, the fewest minutes, then the cheapest; then fewer rescales. */
    static TuneReport.Tried best(Iterable<TuneReport.Tried> tried) {
        Comparator<TuneReport.Tried> order = Comparator.<TuneReport.Tried>comparingDouble(t -> t.train().slaViolationMinutes())
                .thenComparingDouble(t -> t.train().costRatio())
                .thenComparingInt(t -> t.train().rescales());
        TuneReport.Tried best = null;
        for (TuneReport.Tried t : tried) {
            if (best == null || order.compare(t, best) < 0) {
                best = t;
            }
        }
        return best;
    }

    private static String numeric(ParamRange r, String text) {
        return r.kind() == ParamRange.Kind.DURATION ? text.substring(0, text.length() - 1) : text;
    }

    /** The original text with the winning values set after it (a later HOCON value overrides an earlier one). */
    static String tunedText(String original, TuneReport.Tried best, Summary tested) {
        StringBuilder sb = new StringBuilder(original);
        if (!original.endsWith("\n")) {
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT, "%n# Set by `autoscaler tune`: train cost ratio %.2f, %.1f SLA-violation minutes; test cost ratio %.2f, %.1f minutes.%n",
                best.train().costRatio(), best.train().slaViolationMinutes(), tested.costRatio(), tested.slaViolationMinutes()));
        best.params().forEach((k, v) -> sb.append("application.").append(k).append(" = ").append(v).append('\n'));
        return sb.toString();
    }

    private void writePareto(List<String> traceNames, Map<String, TuneReport.Tried> tried) throws java.io.IOException {
        List<TuneReport.Tried> all = List.copyOf(tried.values());
        double[] cost = new double[all.size()];
        double[] sla = new double[all.size()];
        for (int i = 0; i < all.size(); i++) {
            cost[i] = all.get(i).train().vcpuHours();
            sla[i] = all.get(i).train().slaViolationMinutes();
        }
        boolean[] front = Pareto.frontier(cost, sla);
        List<ParetoReport.Point> points = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            points.add(new ParetoReport.Point(all.get(i).train().policy(), all.get(i).params(), front[i], all.get(i).train()));
        }
        ParetoReport.write(replay.out, new ParetoReport.Sweep(policy + " (train part)", traceNames, points, List.of()));
    }

    private static String row(String part, Summary s) {
        return String.format(Locale.ROOT, "%-18s cost ratio %.2f, SLA-violation minutes %.1f, rescales %d", part, s.costRatio(), s.slaViolationMinutes(), s.rescales());
    }
}

package dev.flinkfleet.simulator.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.typesafe.config.ConfigException;

import dev.flinkfleet.simulator.BadInputException;
import dev.flinkfleet.simulator.Fleet;
import dev.flinkfleet.simulator.FleetSettings;
import dev.flinkfleet.simulator.PolicyLoader;
import dev.flinkfleet.simulator.RunResult;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.Simulation;
import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.engine.FleetReplay;
import dev.flinkfleet.simulator.engine.ReplayEngine;
import dev.flinkfleet.simulator.engine.ShippedPolicy;
import dev.flinkfleet.simulator.report.HtmlReport;
import dev.flinkfleet.simulator.report.Summary;
import dev.flinkfleet.simulator.report.SummaryWriter;
import dev.flinkfleet.simulator.trace.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code simulate}: replays traces through the job model under a policy (and the baselines); writes the summary and report. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Replay recorded traffic through a model of a Flink job under a policy, on a simulated clock.",
                "Writes DIR/summary.json and DIR/report.html. Exit 0 ok, 1 bad input."})
public final class SimulateCommand implements Callable<Integer> {

    @Mixin
    ReplayOptions replay = new ReplayOptions();

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Option(names = "--policy", paramLabel = "P", description = "Policy file (config/policies/*.conf) or built-in policy name. Repeatable.")
    List<String> policies = new ArrayList<>();

    @Option(names = "--baselines", description = "Also run static-peak, backlog-drain, target-utilization, lag-threshold (defaults), hindsight, the clairvoyant reference, and flink-operator-autoscaler when the simulator-operator module is on the class path (bin/autoscaler puts it there).")
    boolean baselines;

    private final PolicyLoader loader;
    private final boolean builtInPolicies;

    public SimulateCommand() {
        this(Policies.loader(), true);
    }

    public SimulateCommand(PolicyLoader loader) {
        this(loader, false);
    }

    private SimulateCommand(PolicyLoader loader, boolean builtInPolicies) {
        this.loader = loader;
        this.builtInPolicies = builtInPolicies;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = replay.err();
        PrintWriter stdout = replay.out();
        try {
            ReplayOptions.Loaded loaded = replay.load();
            List<Trace> ts = loaded.traces();
            List<SimContext.Setup> setups = loaded.setups();
            Path out = replay.out;
            List<Strategy> strategies = strategies();
            ReplayEngine on = engine.select(replay.threads, builtInPolicies);
            Files.createDirectories(out);
            Result r = on == null ? run(setups, strategies, loaded.fleet(), replay.threads) : run(on, setups, strategies, loaded.fleet(), err);
            SummaryWriter.write(out.resolve("summary.json"), r.rows());
            String title = "Simulation: " + (setups.size() == 1 ? setups.get(0).job().name() : setups.size() + " jobs");
            HtmlReport.write(out.resolve("report.html"), title, r.rows(), r.runs());
            stdout.println(Table.render(r.rows()));
            stdout.println("wrote " + out.resolve("summary.json") + " and " + out.resolve("report.html"));
            stdout.flush();
            return 0;
        } catch (BadInputException | ConfigException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    List<Strategy> strategies() {
        return strategies(loader, given(), baselines);
    }

    private List<String> given() {
        return policies.isEmpty() && !baselines ? List.of("backlog-drain") : policies;
    }

    /** The policies named, in order (two with one name are an error), then the baselines they do not cover. */
    static List<Strategy> strategies(PolicyLoader loader, List<String> given, boolean baselines) {
        List<Strategy> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (String p : given) {
            Strategy s = loader.load(p, Map.of(), null);
            if (!names.add(s.name())) {
                throw new BadInputException("two policies are named '" + s.name() + "'");
            }
            out.add(s);
        }
        if (baselines) {
            for (Strategy s : Fleet.baselines(loader)) {
                // A user policy with a baseline's name (e.g. --policy backlog-drain) already covers that baseline.
                if (names.add(s.name())) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** Every strategy over the whole fleet. */
    record Result(List<Summary> rows, List<RunResult> runs) {
    }

    /** Keep the page light: about 12,000 plotted buckets in all, between 100 and 1,000 per run. */
    static int buckets(int jobs, int strategies) {
        return Math.max(100, Math.min(1000, 12_000 / Math.max(1, jobs * strategies)));
    }

    /** The same replay on {@code engine}, which builds the strategies again from this command's options. */
    Result run(ReplayEngine engine, List<SimContext.Setup> setups, List<Strategy> strategies, FleetSettings fleet, PrintWriter err) throws Exception {
        var recipe = new SimulateStrategies(given().stream().map(ShippedPolicy::of).toList(), baselines);
        var replay = FleetReplay.of(setups, recipe, fleet, buckets(setups.size(), strategies.size()));
        List<Summary> rows = new ArrayList<>();
        List<RunResult> all = new ArrayList<>();
        List<ReplayEngine.StrategyResult> results = engine.run(replay, SweepCommand.names(strategies), err);
        for (int i = 0; i < strategies.size(); i++) {
            List<RunResult> runs = results.get(i).runs();
            rows.addAll(Fleet.rows(strategies.get(i).name(), runs));
            all.addAll(runs);
        }
        return new Result(rows, all);
    }

    static Result run(List<SimContext.Setup> setups, List<Strategy> strategies, FleetSettings fleet, int threads) {
        int buckets = buckets(setups.size(), strategies.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Summary> rows = new ArrayList<>();
            List<RunResult> all = new ArrayList<>();
            for (Strategy s : strategies) {
                List<RunResult> runs = Simulation.runFleet(setups, s, buckets, fleet, pool);
                rows.addAll(Fleet.rows(s.name(), runs));
                all.addAll(runs);
            }
            return new Result(rows, all);
        } finally {
            pool.shutdownNow();
        }
    }
}

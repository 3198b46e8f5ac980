package dev.flinkfleet.simulator.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
import dev.flinkfleet.simulator.report.Summary;
import dev.flinkfleet.simulator.sweep.Grid;
import dev.flinkfleet.simulator.sweep.Pareto;
import dev.flinkfleet.simulator.sweep.ParetoReport;
import dev.flinkfleet.simulator.sweep.Progress;
import dev.flinkfleet.simulator.trace.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sweep}: replays a policy over a grid of its parameters in parallel; writes the Pareto frontier of cost vs SLA. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Replay a policy over a grid of its params/governor keys on all cores.",
                "Writes DIR/pareto.json and DIR/pareto.html (cost vs SLA violations, frontier, baselines). Exit 0 ok, 1 bad input."})
public final class SweepCommand implements Callable<Integer> {

    @Mixin
    ReplayOptions replay = new ReplayOptions();

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Option(names = "--policy", paramLabel = "P", required = true, description = "Policy file or built-in policy name.")
    String policy;

    @Option(names = "--grid", paramLabel = "KEY=V1,V2", required = true,
            description = "A grid axis over the policy file's application block, e.g. params.time-to-drain=30s,60s or governor.scale-down-cooldown=5m,10m. Repeatable.")
    List<String> grid = new ArrayList<>();

    @Option(names = "--no-baselines", description = "Skip the baselines (static-peak, built-in policies with defaults, hindsight, reference).")
    boolean noBaselines;

    private final PolicyLoader loader;
    private final boolean builtInPolicies;

    public SweepCommand() {
        this(Policies.loader(), true);
    }

    public SweepCommand(PolicyLoader loader) {
        this(loader, false);
    }

    private SweepCommand(PolicyLoader loader, boolean builtInPolicies) {
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
            Grid g = Grid.parse(grid);
            List<Map<String, String>> combos = g.combinations();
            List<Strategy> points = new ArrayList<>();
            // Build every variant before running anything, so bad values fail fast with their origins: all of them,
            // each once (a bad value is in every grid point that has it; the first point names it).
            Map<String, String> problems = new java.util.LinkedHashMap<>();
            for (Map<String, String> c : combos) {
                try {
                    points.add(loader.load(policy, c, Grid.label(c)));
                } catch (BadInputException e) {
                    String suffix = " (grid point " + Grid.label(c) + ")";
                    for (String p : e.problems()) {
                        problems.putIfAbsent(p.endsWith(suffix) ? p.substring(0, p.length() - suffix.length()) : p, p);
                    }
                }
            }
            if (!problems.isEmpty()) {
                throw BadInputException.of(List.copyOf(problems.values()));
            }
            List<Strategy> base = noBaselines ? List.of() : Fleet.baselines(loader);
            ReplayEngine on = engine.select(replay.threads, builtInPolicies);
            Files.createDirectories(out);

            List<Strategy> all = new ArrayList<>(points);
            all.addAll(base);
            List<Summary> headlines = new ArrayList<>();
            long started = System.nanoTime();
            if (on == null) {
                List<List<RunResult>> results = runAll(all, setups, loaded.fleet(), err, replay.threads);
                for (int i = 0; i < all.size(); i++) {
                    headlines.add(Fleet.headline(all.get(i).name(), results.get(i)));
                }
            } else {
                var recipe = new SweepStrategies(ShippedPolicy.of(policy), combos, !noBaselines);
                for (ReplayEngine.StrategyResult r : on.run(FleetReplay.of(setups, recipe, loaded.fleet(), 0), names(all), err)) {
                    headlines.add(r.headline());
                }
            }
            // Throughput, for comparing the engines (BENCHMARKS.md): model steps of every job under every strategy.
            double seconds = (System.nanoTime() - started) / 1e9;
            long jobSteps = all.size() * setups.stream().mapToLong(SimContext.Setup::steps).sum();
            err.println(String.format(java.util.Locale.ROOT, "replayed %d job-steps in %.2f s on the %s engine: %.3g job-steps/s",
                    jobSteps, seconds, on == null ? EngineOptions.LOCAL : EngineOptions.FLINK, jobSteps / seconds));
            err.flush();

            double[] cost = new double[points.size()];
            double[] sla = new double[points.size()];
            List<dev.flinkfleet.simulator.report.Summary> heads = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                var h = headlines.get(i);
                heads.add(h);
                cost[i] = h.vcpuHours();
                sla[i] = h.slaViolationMinutes();
            }
            boolean[] front = Pareto.frontier(cost, sla);
            List<ParetoReport.Point> ps = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                ps.add(new ParetoReport.Point(points.get(i).name(), combos.get(i), front[i], heads.get(i)));
            }
            List<ParetoReport.Baseline> bs = new ArrayList<>();
            for (int i = 0; i < base.size(); i++) {
                bs.add(new ParetoReport.Baseline(base.get(i).name(), headlines.get(points.size() + i)));
            }
            ParetoReport.write(out, new ParetoReport.Sweep(policy, ts.stream().map(Trace::fileName).toList(), ps, bs));
            List<dev.flinkfleet.simulator.report.Summary> table = new ArrayList<>(heads);
            bs.forEach(b -> table.add(b.summary()));
            stdout.println(Table.render(table));
            stdout.println("wrote " + out.resolve("pareto.json") + " and " + out.resolve("pareto.html"));
            stdout.flush();
            return 0;
        } catch (BadInputException | ConfigException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    static List<String> names(List<Strategy> strategies) {
        return strategies.stream().map(Strategy::name).toList();
    }

    /** Each strategy replays the whole fleet (one control loop, one budget); strategies run in parallel. */
    static List<List<RunResult>> runAll(List<Strategy> strategies, List<SimContext.Setup> setups, FleetSettings fleet, PrintWriter err,
            int threads) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            Progress progress = new Progress(err, strategies.size() * setups.size());
            List<Future<List<RunResult>>> futures = new ArrayList<>();
            for (Strategy s : strategies) {
                futures.add(pool.submit(() -> {
                    List<RunResult> rs = Simulation.runFleet(setups, s, 0, fleet, null);
                    for (int i = 0; i < rs.size(); i++) {
                        progress.step();
                    }
                    return rs;
                }));
            }
            List<List<RunResult>> out = new ArrayList<>();
            for (Future<List<RunResult>> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}

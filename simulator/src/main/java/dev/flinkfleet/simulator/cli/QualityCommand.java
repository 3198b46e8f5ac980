package dev.flinkfleet.simulator.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.ConfigException;

import dev.flinkfleet.simulator.BadInputException;
import dev.flinkfleet.simulator.Fleet;
import dev.flinkfleet.simulator.PolicyLoader;
import dev.flinkfleet.simulator.RunResult;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.Simulation;
import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.model.JobModelFile;
import dev.flinkfleet.simulator.report.Summary;
import dev.flinkfleet.simulator.trace.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench quality}: the scaling-quality tables of BENCHMARKS.md in one command. Every job model × every
 * trace (a folder is one fleet) × every strategy, each cell cost ratio / SLA-violation minutes / rescales per job
 * and day, because every rescale is an outage. Writes quality.md (the tables) and quality.json (the figures).
 */
@Command(name = "quality", mixinStandardHelpOptions = true,
        description = "Cost ratio, SLA-violation minutes and rescales per day of every strategy on every trace and job model, as markdown tables.")
public final class QualityCommand implements Callable<Integer> {

    /** The name that stands for the bundled default job model in {@code --job}. */
    static final String DEFAULT_MODEL = "default";

    @Spec
    CommandSpec spec;

    @Option(names = "--trace", paramLabel = "T", required = true,
            description = "Trace CSV, or a folder of them (one fleet: its total is one row). Repeatable.")
    List<Path> traces = new ArrayList<>();

    @Option(names = "--job", paramLabel = "J",
            description = "Job-model file, or `default` for the bundled default. Repeatable; default: `default`.")
    List<String> models = new ArrayList<>();

    @Option(names = "--policy", paramLabel = "P", description = "Policy file or built-in name. Repeatable.")
    List<String> policies = new ArrayList<>();

    @Option(names = "--baselines", description = "Also run every baseline (as `simulate --baselines`).")
    boolean baselines;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    private final PolicyLoader loader;

    public QualityCommand() {
        this(Policies.loader());
    }

    public QualityCommand(PolicyLoader loader) {
        this.loader = loader;
    }

    /** One cell: a strategy's headline figures on one trace under one model. */
    record Cell(String model, String trace, String strategy, double costRatio, double slaViolationMinutes,
                int rescales, double rescalesPerJobDay, int jobs, double days) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
        PrintWriter err = spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
        try {
            List<Strategy> strategies = strategies();
            List<String> names = models.isEmpty() ? List.of(DEFAULT_MODEL) : models;
            List<Cell> cells = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
            try {
                for (String model : names) {
                    JobModelFile jobModel = Fleet.jobModel(DEFAULT_MODEL.equals(model) ? null : Path.of(model));
                    for (Path trace : traces) {
                        List<Trace> ts = Fleet.traces(List.of(trace));
                        List<SimContext.Setup> setups = Fleet.setups(ts, jobModel);
                        double days = ts.stream().mapToLong(Trace::durationSeconds).max().orElse(0) / 86_400.0;
                        for (Strategy s : strategies) {
                            err.printf(Locale.ROOT, "%s × %s × %s%n", model, trace.getFileName(), s.name());
                            err.flush();
                            List<RunResult> runs = Simulation.runFleet(setups, s, 100, jobModel.fleet(), pool);
                            Summary h = Fleet.headline(s.name(), runs);
                            double perJobDay = days > 0 ? h.rescales() / (days * runs.size()) : 0;
                            cells.add(new Cell(model, name(trace), s.name(), h.costRatio(), h.slaViolationMinutes(),
                                    h.rescales(), perJobDay, runs.size(), days));
                        }
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            Files.createDirectories(out);
            String md = markdown(cells);
            Files.writeString(out.resolve("quality.md"), md);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("quality.json").toFile(), cells);
            stdout.print(md);
            stdout.println("wrote " + out.resolve("quality.md") + " and " + out.resolve("quality.json"));
            stdout.flush();
            return 0;
        } catch (BadInputException | ConfigException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private List<Strategy> strategies() {
        List<Strategy> list = SimulateCommand.strategies(loader, policies, baselines);
        if (list.isEmpty()) {
            throw new BadInputException("nothing to run: give --policy or --baselines");
        }
        return list;
    }

    private static String name(Path trace) {
        String f = trace.getFileName().toString();
        return Files.isDirectory(trace) ? f + " (fleet)" : f.replaceFirst("\\.csv$", "");
    }

    /** One table per job model: a row per trace, a column per strategy. */
    static String markdown(List<Cell> cells) {
        Map<String, Map<String, Map<String, Cell>>> byModel = new LinkedHashMap<>();
        Set<String> strategies = new LinkedHashSet<>();
        for (Cell c : cells) {
            byModel.computeIfAbsent(c.model(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(c.trace(), k -> new LinkedHashMap<>()).put(c.strategy(), c);
            strategies.add(c.strategy());
        }
        StringBuilder b = new StringBuilder();
        for (var model : byModel.entrySet()) {
            b.append("Job model: ").append(model.getKey())
                    .append(". Cells: cost ratio / SLA-violation minutes / rescales per job and day.\n\n");
            b.append("| trace |");
            strategies.forEach(s -> b.append(' ').append(s).append(" |"));
            b.append("\n|---|");
            strategies.forEach(s -> b.append("---|"));
            b.append('\n');
            for (var trace : model.getValue().entrySet()) {
                b.append("| ").append(trace.getKey()).append(" |");
                for (String s : strategies) {
                    Cell c = trace.getValue().get(s);
                    b.append(' ').append(c == null ? "–" : String.format(Locale.ROOT, "%.2f / %.1f / %.1f",
                            c.costRatio(), c.slaViolationMinutes(), c.rescalesPerJobDay())).append(" |");
                }
                b.append('\n');
            }
            b.append('\n');
        }
        return b.toString();
    }
}

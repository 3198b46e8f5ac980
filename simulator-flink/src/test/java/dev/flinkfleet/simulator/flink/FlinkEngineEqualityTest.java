package dev.flinkfleet.simulator.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.NettyShuffleEnvironmentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.simulator.Fleet;
import dev.flinkfleet.simulator.PolicyFilesLoader;
import dev.flinkfleet.simulator.RunResult;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.Simulation;
import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.cli.SimulateCommand;
import dev.flinkfleet.simulator.cli.SweepCommand;
import dev.flinkfleet.simulator.engine.FleetReplay;
import dev.flinkfleet.simulator.engine.ReplayEngine;
import dev.flinkfleet.simulator.engine.StrategyRecipe;
import dev.flinkfleet.simulator.model.JobModelFile;
import dev.flinkfleet.simulator.report.Summary;
import picocli.CommandLine;

/**
 * The in-process replay, the Flink job on a MiniCluster, and the same job submitted to a cluster's REST endpoint give
 * the same numbers, to the bit. The cluster is a MiniCluster of this JVM on loopback, reached only through its REST
 * port. The traces start at different times of day (a fleet replays on the first trace's clock, which the predictive
 * policy's daily profile reads), and one case has a fleet rescale budget that holds rescales, so a per-job replay
 * that kept its own clock or ignored the budget would give other numbers.
 */
class FlinkEngineEqualityTest {

    static MiniCluster cluster;
    static String rest;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startCluster() throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(NettyShuffleEnvironmentOptions.BATCH_SHUFFLE_COMPRESSION_ENABLED, false);
        cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build());
        cluster.start();
        rest = "127.0.0.1:" + cluster.getRestAddress().get().getPort();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The built-in policies named, with defaults, then the baselines if asked; built wherever the replay runs. */
    record BuiltIn(List<String> policies, boolean baselines) implements StrategyRecipe {
        @Override
        public List<Strategy> build() {
            PolicyFilesLoader loader = PolicyFilesLoader.builtIn();
            List<Strategy> out = new ArrayList<>();
            policies.forEach(p -> out.add(loader.defaults(p)));
            if (baselines) {
                out.addAll(Fleet.baselines(loader));
            }
            return out;
        }
    }

    /**
     * @param name        what the case covers
     * @param jobModel    the job-model file's text (its fleet block sets the budget)
     * @param strategies  what to replay
     * @param buckets     plot buckets per run (simulate records them, sweep does not)
     * @param budgetHolds whether the fleet's budget must hold rescales under the first strategy
     */
    record Case(String name, String jobModel, BuiltIn strategies, int buckets, boolean budgetHolds) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("no fleet budget: every job apart, policies and baselines", "fleet { max-rescales-per-minute = 0 }",
                        new BuiltIn(List.of("predictive"), true), 0, false),
                new Case("a budget that holds rescales: the fleet replayed whole", "fleet { max-rescales-per-minute = 1 }\n"
                        + "overrides { \"c.csv\" { restart-seconds = 20 } }", new BuiltIn(List.of("backlog-drain"), false), 100, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyPathGivesTheSameNumbers(Case c) throws Exception {
        Path model = Files.writeString(dir.resolve(c.name().replaceAll("\\W+", "-") + ".conf"), "target-peak-workers = 20\n" + c.jobModel() + "\n");
        JobModelFile models = Fleet.jobModel(model);
        List<SimContext.Setup> setups = Fleet.setups(Fleet.traces(List.of(fleet())), models);
        List<Strategy> strategies = c.strategies().build();
        List<String> names = strategies.stream().map(Strategy::name).toList();
        // What the commands' in-process paths run: each strategy over the whole fleet in one replay.
        List<List<RunResult>> expected = new ArrayList<>();
        for (Strategy s : strategies) {
            expected.add(Simulation.runFleet(setups, s, c.buckets(), models.fleet(), null));
        }
        assertEquals(c.budgetHolds(), Summary.total("", expected.get(0)).budgetHolds() > 0, "budget holds under " + names.get(0));

        FleetReplay replay = FleetReplay.of(setups, c.strategies(), models.fleet(), c.buckets());
        for (FlinkReplayEngine engine : List.of(new FlinkReplayEngine(null, 2), new FlinkReplayEngine(ClusterAddress.parse(rest), 2))) {
            StringWriter err = new StringWriter();
            List<ReplayEngine.StrategyResult> got = engine.run(replay, names, new PrintWriter(err));
            assertEquals(names.size(), got.size());
            for (int i = 0; i < names.size(); i++) {
                List<RunResult> want = expected.get(i);
                List<RunResult> runs = got.get(i).runs();
                assertEquals(want.size(), runs.size(), names.get(i));
                for (int j = 0; j < want.size(); j++) {
                    // Record equality compares doubles bit for bit.
                    assertEquals(want.get(j).summary(), runs.get(j).summary(), err.toString());
                    assertEquals(want.get(j).series() == null, runs.get(j).series() == null);
                }
                assertEquals(Fleet.headline(names.get(i), want), got.get(i).headline(), names.get(i) + " fleet headline");
            }
        }
    }

    @Test
    void commandsWriteTheSameFilesOnEveryPath() throws IOException {
        Path policy = Files.copy(Path.of("../config/policies/siem-forwarding.conf"), dir.resolve("siem.conf"));
        List<String> sweep = List.of("--trace", fleet().toString(), "--policy", policy.toString(),
                "--grid", "params.target-utilization=0.5,0.7", "--no-baselines");
        List<String> simulate = List.of("--trace", fleet().toString(), "--policy", policy.toString());
        record Command(boolean sweep, List<String> args, List<String> files) {
        }
        for (Command c : List.of(new Command(true, sweep, List.of("pareto.json")), new Command(false, simulate, List.of("summary.json", "report.html")))) {
            Path local = run(c.sweep(), c.args(), List.of("--engine", "local"), "");
            Path mini = run(c.sweep(), c.args(), List.of(), "flink: ");
            Path remote = run(c.sweep(), c.args(), List.of("--flink-cluster", rest), "on " + rest);
            for (String f : c.files()) {
                byte[] want = Files.readAllBytes(local.resolve(f));
                assertArrayEquals(want, Files.readAllBytes(mini.resolve(f)), f + ": MiniCluster differs from in-process");
                assertArrayEquals(want, Files.readAllBytes(remote.resolve(f)), f + ": --flink-cluster differs from in-process");
            }
        }
    }

    static int runs;

    Path run(boolean sweep, List<String> given, List<String> engine, String says) {
        Path out = dir.resolve("out-" + runs++);
        List<String> args = new ArrayList<>(given);
        args.addAll(engine);
        args.addAll(List.of("--threads", "2", "--out", out.toString()));
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CommandLine cl = new CommandLine(sweep ? new SweepCommand() : new SimulateCommand());
        cl.setOut(new PrintWriter(stdout));
        cl.setErr(new PrintWriter(stderr));
        int code = cl.execute(args.toArray(String[]::new));
        assertEquals(0, code, stderr.toString());
        assertTrue(stderr.toString().contains(says), "expected '" + says + "' in: " + stderr);
        return out;
    }

    static Path fleet() throws IOException {
        return dev.flinkfleet.simulator.engine.SimulatorFixtures.waveFleet(dir);
    }
}

package dev.flinkfleet.simulator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.simulator.Fleet;
import dev.flinkfleet.simulator.PolicyFilesLoader;
import dev.flinkfleet.simulator.RunResult;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.Simulation;
import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.baselines.StaticPeak;
import dev.flinkfleet.simulator.model.JobModelFile;
import dev.flinkfleet.simulator.report.Summary;

/**
 * A fleet cut into per-job replays (the Flink engine's unit of work) gives the whole fleet's numbers, to the bit:
 * each job alone on the fleet's clock, and the whole fleet again exactly when its rescale budget would have held a
 * rescale. The traces start at different times of day, so a job on its own clock would size differently under the
 * predictive policy; the inputs and results also go through Java serialization, as they do to a task manager.
 */
class PerJobReplayTest {

    @TempDir
    static Path dir;

    /**
     * @param name     what the case covers
     * @param budget   the fleet's max-rescales-per-minute (0 = none)
     * @param strategy the policy (built-in, defaults) or baseline
     * @param held     whether the budget holds a rescale of the whole fleet
     * @param paused   the fleet's paused-traces
     */
    record Case(String name, int budget, String strategy, boolean held, String paused) {
        Case(String name, int budget, String strategy, boolean held) {
            this(name, budget, strategy, held, "");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("no budget, predictive policy", 0, "predictive", false),
                new Case("a budget that never binds", 50, "predictive", false),
                new Case("a budget that binds, backlog-drain", 1, "backlog-drain", true),
                new Case("a budget that binds, predictive", 1, "predictive", true),
                new Case("a baseline ignores the budget", 1, StaticPeak.NAME, false),
                new Case("a paused job, no budget", 0, "backlog-drain", false, "\"b.csv\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void perJobReplaysGiveTheFleetsNumbers(Case c) throws Exception {
        Path model = Files.writeString(dir.resolve(c.name().replaceAll("\\W+", "-") + ".conf"), "target-peak-workers = 20\n"
                + "fleet { max-rescales-per-minute = " + c.budget() + ", paused-traces = [" + c.paused() + "] }\n"
                + "overrides { \"c.csv\" { restart-seconds = 20 } }\n");
        JobModelFile models = Fleet.jobModel(model);
        List<SimContext.Setup> setups = Fleet.setups(Fleet.traces(List.of(fleet())), models);
        Strategy strategy = new ByName(c.strategy()).build().get(0);
        List<RunResult> whole = Simulation.runFleet(setups, strategy, 50, models.fleet(), null);

        FleetReplay replay = roundTrip(FleetReplay.of(setups, new ByName(c.strategy()), models.fleet(), 50));
        List<SimContext.Setup> there = replay.setups();
        List<FleetReplay.JobRun> jobs = new ArrayList<>();
        for (int j = 0; j < there.size(); j++) {
            jobs.add(roundTrip(replay.runJob(there, strategy, j)));
        }
        assertEquals(c.held(), replay.budgetHeld(jobs), "budget held");
        assertEquals(c.held(), Summary.total("", whole).budgetHolds() > 0, "the fleet replay's holds");
        List<RunResult> got = replay.budgetHeld(jobs) ? replay.runWhole(there, strategy) : jobs.stream().map(FleetReplay.JobRun::result).toList();
        for (int j = 0; j < whole.size(); j++) {
            // Record equality compares doubles bit for bit.
            assertEquals(whole.get(j).summary(), got.get(j).summary());
        }
        assertEquals(Summary.total("x", whole), Summary.total("x", got));
        if (!c.paused().isEmpty()) {
            assertEquals(0, got.get(1).summary().rescales(), "the paused job b is never resized");
        }
    }

    /** A built-in policy with defaults, or static-peak. */
    record ByName(String name) implements StrategyRecipe {
        @Override
        public List<Strategy> build() {
            return List.of(name.equals(StaticPeak.NAME) ? new StaticPeak() : PolicyFilesLoader.builtIn().defaults(name));
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    static Path fleet() throws IOException {
        return SimulatorFixtures.waveFleet(dir);
    }
}

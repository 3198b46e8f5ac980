package dev.flinkfleet.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.simulator.baselines.Reference;
import dev.flinkfleet.simulator.model.JobModelFile;
import dev.flinkfleet.simulator.report.Summary;
import dev.flinkfleet.simulator.trace.Trace;
import dev.flinkfleet.simulator.trace.TraceReader;

/**
 * Issue 10's predictive policy, with its recommended policy file (config/policies/examples/predictive.conf), on
 * the default job model: once it has learned a daily ramp it sizes for where the ramp goes (fewer restarts than
 * chasing it), and on a sparse trace it goes back to its
 * minimum between bursts at no more than twice what the clairvoyant reference pays.
 */
class PredictivePolicySimulationTest {

    static final Path POLICY_FILE = Path.of("..", "config", "policies", "examples", "predictive.conf");

    static Trace trace(String name) throws IOException {
        try (InputStream in = PredictivePolicySimulationTest.class.getResourceAsStream("/traces/" + name)) {
            return TraceReader.parse(name, "classpath:/traces/" + name, new BufferedInputStream(in));
        }
    }

    /** The applied rescales of a replay, by the time they were decided, and its summary. */
    record Run(TreeMap<Instant, Integer> rescales, TreeMap<Instant, Integer> workers, Summary summary) {
    }

    static Run run(Trace trace) {
        PolicyStrategy file = (PolicyStrategy) PolicyFilesLoader.builtIn().load(POLICY_FILE.toString(), Map.of(), null);
        TreeMap<Instant, Integer> rescales = new TreeMap<>();
        TreeMap<Instant, Integer> workers = new TreeMap<>();
        CycleListener rec = new CycleListener() {
            @Override
            public void onJob(JobOutcome o) {
                Decision d = o.decision();
                if (o.signals() != null) {
                    workers.put(o.signals().observedAt(), o.signals().currentWorkers());
                }
                if (d != null && d.changes() && o.applied()) {
                    rescales.put(o.signals().observedAt(), d.targetWorkers());
                }
            }
        };
        SimContext.Setup setup = Fleet.setups(List.of(trace), JobModelFile.defaults()).get(0);
        Summary sum = Simulation.run(setup, new PolicyStrategy(file.name(), file.policy(), file.governor(), rec), 0).summary();
        return new Run(rescales, workers, sum);
    }

    @Test
    void sizesForTheDailyRampOnceItHasLearnedIt() throws IOException {
        Run r = run(trace("daily_ramp.csv"));
        // Day 1 (nothing learned) chases the ramp: each scale-up is sized for the input it sees, which the ramp
        // has left behind by the time the restart is over.
        List<Integer> day1 = scaleUps(r, "2024-01-01");
        // Day 3 (two days learned): the same first trigger is sized for where the profile says the ramp goes, so
        // the ramp takes fewer restarts.
        List<Integer> day3 = scaleUps(r, "2024-01-03");
        assertTrue(day1.size() >= 3, "day 1 scale-ups " + day1);
        assertTrue(day3.size() < day1.size(), "day 3 scale-ups " + day3 + " against day 1's " + day1);
        assertTrue(day3.get(0) >= 2 * day1.get(0), "day 3 first scale-up to " + day3.get(0) + ", day 1 to " + day1.get(0));
        assertEquals(0, r.summary().slaViolationMinutes(), 1e-9, r.summary().toString());
    }

    @Test
    void onASparseTraceItShrinksBetweenBurstsForAtMostTwiceTheReference() throws IOException {
        Trace sparse = trace("sparse_bursts.csv");
        Run r = run(sparse);
        SimContext.Setup setup = Fleet.setups(List.of(sparse), JobModelFile.defaults()).get(0);
        double reference = Simulation.run(setup, new Reference(), 0).summary().costRatio();
        for (Instant end : SparseTraceTest.idleEnds(sparse.rates(), sparse.start(), sparse.stepSeconds(), 3 * 3600)) {
            assertEquals(1, r.workers().floorEntry(end).getValue(), "at the end of the idle stretch before " + end);
        }
        assertTrue(r.summary().costRatio() <= 2 * reference, r.summary().costRatio() + " against the reference's " + reference);
    }

    /** The worker counts of the scale-ups applied between 06:00 and 08:00 of {@code day}, in order. */
    private static List<Integer> scaleUps(Run r, String day) {
        Instant from = Instant.parse(day + "T06:00:00Z");
        int[] last = {r.workers().floorEntry(from).getValue()};
        List<Integer> ups = new ArrayList<>();
        r.rescales().subMap(from, Instant.parse(day + "T08:00:00Z")).forEach((t, w) -> {
            if (w > last[0]) {
                ups.add(w);
            }
            last[0] = w;
        });
        assertTrue(!ups.isEmpty(), "no scale-up on the morning of " + day);
        return ups;
    }
}

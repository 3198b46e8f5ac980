package dev.flinkfleet.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.simulator.baselines.Hindsight;
import dev.flinkfleet.simulator.baselines.Reference;
import dev.flinkfleet.simulator.baselines.StaticPeak;
import dev.flinkfleet.simulator.model.JobModel;
import dev.flinkfleet.simulator.model.JobModelFile;
import dev.flinkfleet.simulator.report.Summary;
import dev.flinkfleet.simulator.trace.Trace;

/** The fleet replayed as the daemon runs it: one loop, one clock, one budget; a job alone replays as before. */
class FleetReplayTest {

    static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

    /**
     * The replay as it was before fleets shared a loop: one job, its own clock, its controller ticked every
     * control-interval steps. The fleet replay must give the same figures for a job alone, and for every job of a
     * fleet whose budget never binds.
     */
    static RunResult independent(SimContext.Setup setup, Strategy strategy) {
        SimClock clock = new SimClock(setup.epochAt(0));
        JobReplay job = new JobReplay(setup, strategy, clock, 50);
        Controller controller = strategy.start(job.ctx);
        int control = setup.controlSteps();
        int since = 0;
        for (long i = 0; i < setup.steps(); i++) {
            if (since == control) {
                since = 0;
                clock.set(setup.epochAt(i));
                controller.control(job.ctx, i);
            }
            since++;
            job.advanceTo(i + 1);
        }
        return job.result(strategy.name(), 0);
    }

    /** Diurnal traffic with noise and a burst, seeded. */
    static Trace diurnal(String name, int seed, int rows, int step) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double base = 5 + rnd.nextDouble() * 20;
        double[] rates = new double[rows];
        for (int i = 0; i < rows; i++) {
            double day = 2 * Math.PI * i * step / 86_400.0;
            rates[i] = base * (1 + 0.6 * Math.sin(day + seed)) * (1 + 0.1 * rnd.nextDouble()) + (i % 700 < 20 ? 3 * base : 0);
        }
        return new Trace(name, name + ".csv", START, step, rates);
    }

    record Single(String name, Supplier<Strategy> strategy) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Single> strategies() {
        return Stream.of(
                new Single("backlog-drain", () -> PolicyFilesLoader.builtIn().defaults("backlog-drain")),
                new Single("target-utilization", () -> PolicyFilesLoader.builtIn().defaults("target-utilization")),
                new Single("lag-threshold", () -> PolicyFilesLoader.builtIn().defaults("lag-threshold")),
                new Single("static-peak", StaticPeak::new),
                new Single("hindsight", Hindsight::new),
                new Single("reference", Reference::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strategies")
    void aJobAloneReplaysExactlyAsBefore(Single c) {
        SimContext.Setup setup = SimContext.Setup.of(diurnal("alone", 7, 2 * 1440, 60), JobModelFile.defaults().modelFor("alone.csv"));
        Summary expected = independent(setup, c.strategy().get()).summary();
        Summary got = Simulation.run(setup, c.strategy().get(), 50).summary();
        assertEquals(expected, got);
        assertTrue(got.rescales() > 0 || c.name().equals("static-peak"), "the replay rescales, so the comparison means something: " + got);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strategies")
    void aFleetWhoseBudgetNeverBindsReplaysEachJobAsAlone(Single c) {
        // Different lengths, trace steps and control intervals: ticks of the shared clock interleave.
        JobModel base = JobModelFile.defaults().modelFor("x.csv");
        List<SimContext.Setup> setups = List.of(
                SimContext.Setup.of(diurnal("a", 1, 1440, 60), base),
                SimContext.Setup.of(diurnal("b", 2, 2000, 30), withControl(base, 90)),
                SimContext.Setup.of(diurnal("c", 3, 900, 120), withControl(base, 40)));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<RunResult> fleet = Simulation.runFleet(setups, c.strategy().get(), 50, new FleetSettings(1_000_000, Set.of()), pool);
            for (int j = 0; j < setups.size(); j++) {
                assertEquals(independent(setups.get(j), c.strategy().get()).summary(), fleet.get(j).summary(), setups.get(j).job().name());
                assertEquals(0, fleet.get(j).summary().budgetHolds());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static JobModel withControl(JobModel m, double controlSeconds) {
        return new JobModel(m.perWorkerEps(), m.scalingExponent(), m.vcpuPerWorker(), m.restartSeconds(), m.checkpointIntervalSeconds(),
                m.maxParallelism(), m.initialWorkers(), m.slaLatencySeconds(), m.baseLatencySeconds(), m.metricsDelaySeconds(),
                m.signalWindowSeconds(), m.growthWindowSeconds(), controlSeconds, m.subStepSeconds(), m.traceScale(), m.targetPeakWorkers());
    }

    /**
     * A lag storm: twelve jobs of 1 worker (100 ev/s each) whose input jumps at once to 2..6 workers' worth. Ticks
     * every 20 s, so three cycles share each minute.
     */
    static List<SimContext.Setup> storm() {
        JobModel m = SimulationTest.model(100, 1, 1, 60, 60, 1, 0, 20, 1);
        List<SimContext.Setup> out = new ArrayList<>();
        for (int j = 0; j < 12; j++) {
            double[] rates = new double[40];
            for (int i = 0; i < rates.length; i++) {
                rates[i] = i < 10 ? 50 : 100 * (2 + j % 5);
            }
            out.add(SimContext.Setup.of(new Trace("storm-" + j, "storm-" + j + ".csv", START, 60, rates), m));
        }
        return out;
    }

    static List<RunResult> replay(List<SimContext.Setup> setups, int budget, List<JobOutcome> outcomes) {
        return replay(setups, new FleetSettings(budget, Set.of()), outcomes);
    }

    static List<RunResult> replay(List<SimContext.Setup> setups, FleetSettings fleet, List<JobOutcome> outcomes) {
        CycleListener rec = new CycleListener() {
            @Override
            public void onJob(JobOutcome o) {
                outcomes.add(o);
            }
        };
        Strategy s = new PolicyStrategy("fit", new Fakes.FitInputPolicy(100), new Fakes.PassThroughGovernor(), rec);
        return Simulation.runFleet(setups, s, 0, fleet, null);
    }

    @Test
    void theFleetBudgetCapsRescalesInEveryMinuteOfSimulatedTimeMostUrgentFirst() {
        int k = 3;
        List<JobOutcome> outcomes = new ArrayList<>();
        List<RunResult> runs = replay(storm(), k, outcomes);

        List<Instant> applied = outcomes.stream().filter(JobOutcome::applied).map(o -> o.decision().at()).sorted().toList();
        for (Instant t : applied) {
            long inMinute = applied.stream().filter(a -> !a.isBefore(t) && a.isBefore(t.plusSeconds(60))).count();
            assertTrue(inMinute <= k, inMinute + " rescales in the minute from " + t);
        }
        Map<Instant, List<JobOutcome>> byCycle = new TreeMap<>();
        outcomes.stream().filter(o -> o.decision() != null && o.decision().changes())
                .forEach(o -> byCycle.computeIfAbsent(o.decision().at(), t -> new ArrayList<>()).add(o));
        long held = 0;
        for (Map.Entry<Instant, List<JobOutcome>> e : byCycle.entrySet()) {
            List<JobOutcome> budgetHeld = e.getValue().stream().filter(o -> o.result().reason() == ReasonCode.HOLD_BUDGET).toList();
            held += budgetHeld.size();
            double leastUrgentApplied = e.getValue().stream().filter(JobOutcome::applied).mapToDouble(o -> o.decision().urgency()).min().orElse(Double.MAX_VALUE);
            double mostUrgentHeld = budgetHeld.stream().mapToDouble(o -> o.decision().urgency()).max().orElse(0);
            assertTrue(leastUrgentApplied >= mostUrgentHeld, e.getKey() + ": most urgent first, " + leastUrgentApplied + " < " + mostUrgentHeld);
        }
        assertTrue(held > 0, "the storm needs more than the budget");
        Summary total = Summary.total("fit", runs);
        assertEquals(held, total.budgetHolds(), "budget holds per fleet");
        for (RunResult r : runs) {
            long mine = outcomes.stream().filter(o -> o.plan().job().name().equals(r.summary().job()) && o.result() != null
                    && o.result().reason() == ReasonCode.HOLD_BUDGET).count();
            assertEquals(mine, r.summary().budgetHolds(), r.summary().job());
            assertTrue(r.summary().rescales() > 0, "the budget delays rescales, it does not drop them: " + r.summary().job());
        }
    }

    @Test
    void withoutABudgetTheSameStormRescalesMoreThanItAllowsInAMinute() {
        List<JobOutcome> outcomes = new ArrayList<>();
        List<RunResult> runs = replay(storm(), 0, outcomes);
        Instant first = outcomes.stream().filter(JobOutcome::applied).map(o -> o.decision().at()).min(Instant::compareTo).orElseThrow();
        long inFirstMinute = outcomes.stream().filter(JobOutcome::applied).filter(o -> o.decision().at().isBefore(first.plusSeconds(60))).count();
        assertTrue(inFirstMinute > 3, "unlimited: " + inFirstMinute);
        assertEquals(0, Summary.total("fit", runs).budgetHolds());
    }

    @Test
    void aSingleJobIsNeverBudgetLimited() {
        List<JobOutcome> capped = new ArrayList<>();
        List<JobOutcome> free = new ArrayList<>();
        SimContext.Setup one = storm().get(4);
        assertEquals(replay(List.of(one), 0, free).get(0).summary(), replay(List.of(one), 1, capped).get(0).summary());
        assertTrue(capped.stream().filter(JobOutcome::applied).count() > 1, "more than one rescale in the job's first minutes");
    }

    @Test
    void aPausedJobIsDecidedEveryTickNeverResizedAndLeavesTheBudgetToTheOthers() {
        List<JobOutcome> outcomes = new ArrayList<>();
        // storm-4 is the most urgent job (1 -> 6 workers): paused, it must not take a slot of the budget.
        List<RunResult> runs = replay(storm(), new FleetSettings(3, Set.of("storm-4.csv")), outcomes);
        List<JobOutcome> paused = outcomes.stream().filter(o -> o.plan().job().name().equals("storm-4")).toList();
        assertTrue(paused.size() > 10, "decided every tick");
        assertTrue(paused.stream().allMatch(o -> o.decision().reason() == ReasonCode.HOLD_PAUSED && !o.applied()));
        assertTrue(paused.stream().anyMatch(o -> o.decision().recommendation().targetWorkers() == 6), "the policy still says what it would do");
        assertEquals(0, runs.get(4).summary().rescales());
        assertEquals(0, runs.get(4).summary().budgetHolds());
        Instant firstStormCycle = outcomes.stream().filter(o -> o.result() != null).map(o -> o.decision().at()).min(Instant::compareTo).orElseThrow();
        assertEquals(3, outcomes.stream().filter(o -> o.decision() != null && o.decision().at().equals(firstStormCycle)).filter(JobOutcome::applied).count(),
                "the budget went to unpaused jobs");
    }
}

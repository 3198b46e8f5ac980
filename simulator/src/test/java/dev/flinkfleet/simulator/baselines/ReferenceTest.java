package dev.flinkfleet.simulator.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.simulator.Controller;
import dev.flinkfleet.simulator.Fleet;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.Simulation;
import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.model.FluidJob;
import dev.flinkfleet.simulator.model.JobModel;
import dev.flinkfleet.simulator.model.JobModelFile;
import dev.flinkfleet.simulator.report.Summary;
import dev.flinkfleet.simulator.trace.Trace;

class ReferenceTest {

    /**
     * M2-like: 1,000 ev/s per worker, 60 s restart, 10 s checkpoints (5 s replayed), at most 64 workers, 300 s SLA,
     * a decision every 30 s, 10 s model steps. The look-ahead window is 60 + 300 s = 36 steps.
     */
    static JobModel model(double exponent, int initial) {
        return new JobModel(1000, exponent, 1, 60, 10, 64, initial, 300, 2, 30, 60, 120, 30, 10, 1, 0);
    }

    /** {@code minutes[i]} minutes at {@code rates[i]} events per second, one row per minute. */
    static Trace minutes(int[] minutes, double[] rates) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < minutes.length; i++) {
            for (int k = 0; k < minutes[i]; k++) {
                r.add(rates[i]);
            }
        }
        return new Trace("t", "t.csv", Instant.parse("2024-01-01T00:00:00Z"), 60, r.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * @param rescales the expected rescales, as {second of the decision, workers after}
     */
    record Case(String name, Trace trace, double exponent, int initial, long[][] rescales) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // ceil(10,000 / 1,000) = 10 workers carry the rate exactly; 8 cannot: it holds.
                new Case("steady, linear", minutes(new int[] {120}, new double[] {10_000}), 1.0, 10, new long[][] {}),
                // 1,000 × n^0.95 >= 10,000 needs n >= 10^(1/0.95) = 11.29, so 12 (11 carries 9,772 ev/s): it holds.
                new Case("steady, exponent 0.95", minutes(new int[] {120}, new double[] {10_000}), 0.95, 12, new long[][] {}),
                // Too big at 20: a restart piles up 60 s + 5 s replay of 10,000 ev/s = 650,000 events, to drain in the
                // 300 s after it: capacity >= 10,000 + 650,000 / 300 = 12,167, so 13 workers, at the first decision.
                new Case("steady, starts too big", minutes(new int[] {120}, new double[] {10_000}), 1.0, 20, new long[][] {{30, 13}}),
                // 5,000 then 20,000 ev/s from 3,600 s. The first decision whose window [t, t + 360 s) reaches the step is
                // t = 3,270 s: 20 workers carry the peak and drain the restart's 325,000 events at 15,000 ev/s long
                // before the step, so it is ready 270 s (more than the 60 s restart) ahead of it.
                new Case("step up", minutes(new int[] {60, 60}, new double[] {5_000, 20_000}), 1.0, 5, new long[][] {{3270, 20}}),
                // 20,000 then 5,000 ev/s from 3,600 s: nothing below 20 carries the peak while the window holds any of
                // the 20,000 (so not before t = 3,600 s). Then a restart piles up 60 s of 5,000 ev/s plus 5 s of the
                // last step's 20,000 = 400,000 events: drained in 300 s needs 5,000 + 1,333 ev/s, so 7 workers.
                new Case("step down", minutes(new int[] {60, 60}, new double[] {20_000, 5_000}), 1.0, 20, new long[][] {{3600, 7}}),
                // A one-step dip lower by one worker's worth is not worth a restart: only two or more workers lower is.
                new Case("small dip holds", minutes(new int[] {60, 60, 60}, new double[] {10_000, 9_000, 10_000}), 1.0, 10, new long[][] {}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plansTheRescalesWorkedOutByHandWithinTheSla(Case c) {
        List<long[]> seen = new ArrayList<>();
        Summary s = Simulation.run(SimContext.Setup.of(c.trace(), model(c.exponent(), c.initial())), recording(seen), 0).summary();
        assertEquals(Arrays.deepToString(c.rescales()), Arrays.deepToString(seen.toArray(new long[0][])));
        assertEquals(0, s.slaViolationMinutes(), s.toString());
    }

    @Test
    void theTestIsMonotoneInTheWorkersAmongCountsThatRestart() {
        // A bursty trace: at each decision, every count from 1 to max parallelism that differs from the current one.
        double[] rates = new double[6 * 60];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = 4_000 + 3_000 * Math.sin(i / 7.0) + ((i / 13) % 3 == 0 ? 9_000 : 0);
        }
        JobModel m = model(0.95, 4);
        SimContext.Setup setup = SimContext.Setup.of(new Trace("t", "t.csv", Instant.parse("2024-01-01T00:00:00Z"), 60, rates), m);
        ForwardRun run = new ForwardRun(setup);
        int[] checked = {0};
        Strategy probe = new Strategy() {
            @Override
            public String name() {
                return "probe";
            }

            @Override
            public Controller start(SimContext ctx) {
                Controller ref = new Reference().start(ctx);
                return (c, step) -> {
                    FluidJob f = c.fluid();
                    long end = Math.min(setup.steps(), step + 36);
                    if (!f.restarting() && end > step) {
                        double peak = 0;
                        for (long i = step; i < end; i++) {
                            peak = Math.max(peak, setup.rateAt(i));
                        }
                        boolean passedBelow = false;
                        for (int n = 1; n <= m.maxParallelism(); n++) {
                            if (n == f.workers()) {
                                continue;
                            }
                            boolean p = run.passes(f, n, step, end, peak);
                            assertTrue(p || !passedBelow, "count " + n + " fails where a smaller one passes, at step " + step);
                            passedBelow |= p;
                        }
                        checked[0]++;
                    }
                    ref.control(c, step);
                };
            }
        };
        Simulation.run(setup, probe, 0);
        assertTrue(checked[0] > 500, "decisions checked: " + checked[0]);
    }

    @Test
    void neverBreaksTheSlaOnTheBundledTraceUnderTheDefaultModel() {
        Trace nasa = Fleet.traces(List.of()).get(0);
        Summary s = Simulation.run(SimContext.Setup.of(nasa, JobModelFile.defaults().modelFor(nasa.fileName())), new Reference(), 0).summary();
        assertEquals(0, s.slaViolationMinutes(), s.toString());
        assertTrue(s.rescales() > 0, s.toString());
    }

    @Test
    void theM2FileHasTheIssuesValues() {
        JobModel m = JobModelFile.load(Path.of("src/main/resources/job-models/m2.conf")).modelFor("any.csv");
        assertEquals(List.of(1000.0, 0.95, 60.0, 10.0, 64, 4, 300.0, 2.0, 30.0, 30.0, 40),
                List.of(m.perWorkerEps(), m.scalingExponent(), m.restartSeconds(), m.checkpointIntervalSeconds(), m.maxParallelism(),
                        m.initialWorkers(), m.slaLatencySeconds(), m.baseLatencySeconds(), m.metricsDelaySeconds(),
                        m.controlIntervalSeconds(), m.targetPeakWorkers()));
    }

    /** The reference, recording each rescale as {second of the decision, workers after}. */
    static Strategy recording(List<long[]> seen) {
        return new Strategy() {
            @Override
            public String name() {
                return Reference.NAME;
            }

            @Override
            public Controller start(SimContext ctx) {
                Controller ref = new Reference().start(ctx);
                return (c, step) -> {
                    int before = c.fluid().workers();
                    ref.control(c, step);
                    if (c.fluid().workers() != before) {
                        seen.add(new long[] {step * c.setup().dtSeconds(), c.fluid().workers()});
                    }
                };
            }
        };
    }
}

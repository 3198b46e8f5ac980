package dev.flinkfleet.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.simulator.baselines.Hindsight;
import dev.flinkfleet.simulator.baselines.StaticPeak;
import dev.flinkfleet.simulator.model.JobModel;
import dev.flinkfleet.simulator.report.Summary;
import dev.flinkfleet.simulator.trace.Trace;

class SimulationTest {

    static final double EPS = 1e-9;

    static JobModel model(double perWorker, double exponent, double vcpu, double restart, double checkpoint, double base,
                          double delay, double control, int initial) {
        return new JobModel(perWorker, exponent, vcpu, restart, checkpoint, 1000, initial, 300, base, delay, 60, 120, control, 10, 1, 0);
    }

    static Trace trace(int step, double... rates) {
        return new Trace("t", "t.csv", Instant.parse("2024-01-01T00:00:00Z"), step, rates);
    }

    static Trace constant(int step, int rows, double rate) {
        double[] r = new double[rows];
        java.util.Arrays.fill(r, rate);
        return trace(step, r);
    }

    record Constant(String name, double rate, double perWorker, double exponent, double vcpu, int rows, int step) {
    }

    static Stream<Constant> constants() {
        return Stream.of(
                new Constant("half of one worker", 50, 100, 1, 1, 120, 60),
                new Constant("exactly three workers", 300, 100, 1, 2, 60, 300),
                new Constant("sublinear scaling", 250, 100, 0.8, 0.5, 100, 60),
                new Constant("tiny rate", 0.2, 1000, 1, 1, 30, 10));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("constants")
    void constantRateBelowCapacityHasNoBacklogAndExactCost(Constant c) {
        JobModel m = model(c.perWorker(), c.exponent(), c.vcpu(), 60, 60, 0.5, 30, 60, 0);
        SimContext.Setup s = SimContext.Setup.of(constant(c.step(), c.rows(), c.rate()), m);
        RunResult r = Simulation.run(s, new StaticPeak(), 0);
        Summary sum = r.summary();
        int workers = m.workersFor(c.rate());
        double hours = c.rows() * (double) c.step() / 3600;
        assertEquals(0, sum.maxBacklogRecords(), EPS);
        assertEquals(workers * c.vcpu() * hours, sum.vcpuHours(), 1e-6);
        assertEquals(m.baseLatencySeconds(), sum.latencyP50S(), EPS);
        assertEquals(m.baseLatencySeconds(), sum.latencyP99S(), EPS);
        assertEquals(m.baseLatencySeconds(), sum.latencyMaxS(), EPS);
        assertEquals(0, sum.slaViolationMinutes());
        assertEquals(0, sum.rescales());
        assertEquals(0, sum.downtimeMinutes());
    }

    @Test
    void workBoundIsTotalEventsOverPerWorkerRateTimesVcpu() {
        Trace t = trace(60, 3, 0, 17.5, 2, 9, 40);
        JobModel m = new JobModel(7, 1, 1.5, 60, 60, 1000, 0, 300, 1, 30, 60, 120, 60, 10, 2.5, 0);
        RunResult r = Simulation.run(SimContext.Setup.of(t, m), new StaticPeak(), 0);
        double events = 0;
        for (double rate : t.rates()) {
            events += rate * 2.5 * 60;
        }
        assertEquals(events / 7 * 1.5 / 3600, r.summary().workBoundVcpuHours(), 1e-12);
        assertEquals(r.summary().vcpuHours() / r.summary().workBoundVcpuHours(), r.summary().costRatio(), 1e-12);
    }

    record StepUp(String name, double before, double after, double perWorker, double restart, double checkpoint, double base) {
    }

    static Stream<StepUp> stepUps() {
        return Stream.of(
                new StepUp("double the rate, 60 s restart", 50, 150, 100, 60, 60, 1),
                new StepUp("long restart, no replay", 80, 250, 100, 120, 0, 0.5),
                new StepUp("short restart, long checkpoints", 90, 130, 100, 20, 300, 2));
    }

    /**
     * One worker; the rate steps from {@code before} to {@code after} at t = 600 s. Signals have no delay and a
     * 60 s window, so the control tick at 660 s sees the new rate and rescales to ceil(after / perWorker).
     * By hand: backlog at 660 = (after - perWorker) × 60; the rescale adds the replay after × checkpoint / 2;
     * the restart adds after × restart. The restart ends on a step boundary, so the peak backlog is the sum and
     * the peak latency is base + peak backlog ÷ new capacity, or, if larger, the age of the oldest event at the
     * last 10 s step that ends inside the restart: base + backlog-at-stop ÷ old capacity + (restart - 10).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stepUps")
    void stepUpWithKnownRestartPeaksWhereComputedByHand(StepUp c) {
        double[] rates = new double[30];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = i < 10 ? c.before() : c.after();
        }
        JobModel m = model(c.perWorker(), 1, 1, c.restart(), c.checkpoint(), c.base(), 0, 60, 1);
        List<JobOutcome> outcomes = new ArrayList<>();
        CycleListener rec = new CycleListener() {
            @Override
            public void onJob(JobOutcome o) {
                outcomes.add(o);
            }
        };
        Strategy s = new PolicyStrategy("fit", new Fakes.FitInputPolicy(c.perWorker()), new Fakes.PassThroughGovernor(), rec);
        RunResult r = Simulation.run(SimContext.Setup.of(trace(60, rates), m), s, 0);

        int newWorkers = (int) Math.ceil(c.after() / c.perWorker());
        double atStop = (c.after() - c.perWorker()) * 60;
        double peak = atStop + c.after() * c.checkpoint() / 2 + c.after() * c.restart();
        double latency = Math.max(c.base() + peak / (newWorkers * c.perWorker()), c.base() + atStop / c.perWorker() + c.restart() - 10);
        assertEquals(peak, r.summary().maxBacklogRecords(), 1e-6);
        assertEquals(latency, r.summary().latencyMaxS(), 1e-6);
        assertEquals(1, r.summary().rescales());
        assertEquals(c.restart() / 60, r.summary().downtimeMinutes(), 1e-9);
        JobOutcome applied = outcomes.stream().filter(JobOutcome::applied).findFirst().orElseThrow();
        assertEquals(Instant.parse("2024-01-01T00:11:00Z"), applied.decision().at());
        assertEquals(newWorkers, applied.decision().targetWorkers());
    }

    @Test
    void inputRateIsReadLiveFromKafkaWhileJobMetricsAreMetricsDelayOld() {
        double[] rates = new double[20];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = i < 10 ? 50 : 150;
        }
        JobModel m = model(100, 1, 1, 60, 60, 1, 120, 60, 1);
        List<JobOutcome> outcomes = new ArrayList<>();
        CycleListener rec = new CycleListener() {
            @Override
            public void onJob(JobOutcome o) {
                outcomes.add(o);
            }
        };
        Simulation.run(SimContext.Setup.of(trace(60, rates), m),
                new PolicyStrategy("fit", new Fakes.FitInputPolicy(100), new Fakes.PassThroughGovernor(), rec), 0);
        // The step happens at 600 s. The input rate comes from Kafka log-end offsets, read live as the daemon reads
        // them: a full 60 s rate window of the new rate is there at 660 s. The job's own metrics are 120 s old.
        JobOutcome first = outcomes.stream().filter(JobOutcome::applied).findFirst().orElseThrow();
        assertEquals(Instant.parse("2024-01-01T00:11:00Z"), first.decision().at());
        assertEquals(0, first.signals().inputRate().ageSeconds());
        assertEquals(150, first.signals().inputRate().value(), 1e-9);
        assertEquals(120, first.signals().throughput().ageSeconds(), 1e-9);
    }

    @Test
    void hindsightScalesUpBeforeTheRiseAndStaysWithinTheSla() {
        double[] rates = new double[24 * 60];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = (i / 120) % 2 == 0 ? 1000 : 4000;
        }
        JobModel m = model(100, 1, 1, 60, 60, 1, 30, 60, 0);
        SimContext.Setup s = SimContext.Setup.of(trace(60, rates), m);
        Summary h = Simulation.run(s, new Hindsight(), 0).summary();
        Summary peak = Simulation.run(s, new StaticPeak(), 0).summary();
        assertEquals(0, h.slaViolationMinutes());
        assertTrue(h.vcpuHours() < peak.vcpuHours(), h + " vs " + peak);
        assertTrue(h.rescales() > 0);
    }
}

package dev.flinkfleet.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.simulator.model.FluidJob;
import dev.flinkfleet.simulator.model.JobModel;

/**
 * What the model's Flink metrics read with meters-restart-with-tasks and pending-records-cap, as measured on a
 * real MiniCluster job (demo's fidelity comparison): new tasks' meters start from zero over the whole window
 * (records-out low, busy = 1 − idle high), and pendingRecords stays near one fetch's worth.
 */
class FlinkMeterModelTest {

    /**
     * @param meters    meters-restart-with-tasks
     * @param cap       pending-records-cap
     * @param out       records-out 20 s after the rescale (3 workers at 150 ev/s, 60 s window, 10 s steps)
     * @param busy      busy fraction then
     * @param pending   pendingRecords then
     */
    record Case(boolean meters, double cap, double out, double busy, double pending) {
    }

    static Stream<Case> cases() {
        // 2 workers of 100 ev/s at 250 ev/s for 60 s: backlog 3,000; rescale to 3 (no restart time, no replay);
        // 20 s at 250 ev/s with capacity 300 drains 1,000: backlog 2,000.
        return Stream.of(
                // Meters span the restart: 60 s window = 40 s at 200 + 20 s at 300.
                new Case(false, 0, (40 * 200 + 20 * 300) / 60.0, 1, 2000),
                // New tasks: 20 s × 300 over the whole 60 s window; busy = 1 − idle (none) / 60.
                new Case(true, 0, 20 * 300 / 60.0, 1, 2000),
                new Case(false, 1500, (40 * 200 + 20 * 300) / 60.0, 1, 1500),
                new Case(false, 5000, (40 * 200 + 20 * 300) / 60.0, 1, 2000));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void flinkMetersAfterARescale(Case c) {
        JobModel m = new JobModel(100, 1, 1, 0, 0, 1000, 0, 300, 1, 0, 60, 120, 60, 10, 1, 0, 10, 60, 180, 0, c.meters(), c.cap());
        FluidJob job = new FluidJob(m, 10, 2);
        SimulatedSignalSource src = new SimulatedSignalSource(SimulatedSignalSourceTest.JOB, job, 10, 0, 6, 12);
        long step = 0;
        for (int i = 0; i < 8; i++, step++) {
            if (i == 6) {
                job.rescale(3);
            }
            job.step(250);
            src.record();
        }
        Signals s = src.current(Instant.ofEpochSecond(1_700_000_000L + step * 10));
        assertEquals(c.out(), s.throughput().value(), 1e-6);
        assertEquals(c.busy(), s.cpu().value(), 1e-6);
        assertEquals(2000, job.backlog(), 1e-6);
        assertEquals(c.pending(), src.observe(Instant.EPOCH).metrics().backlog().value(), 1e-6);
    }

    @ParameterizedTest
    @MethodSource("idle")
    void newTasksReadBusyUntilIdleTimeAccumulates(double secondsSinceRestart, double busy) {
        JobModel m = new JobModel(100, 1, 1, 0, 0, 1000, 0, 300, 1, 0, 60, 120, 60, 10, 1, 0, 10, 60, 180, 0, true, 0);
        FluidJob job = new FluidJob(m, 10, 2);
        SimulatedSignalSource src = new SimulatedSignalSource(SimulatedSignalSourceTest.JOB, job, 10, 0, 6, 12);
        for (int i = 0; i < 8; i++) {
            job.step(100);
            src.record();
        }
        job.rescale(4); // 400 ev/s of capacity for 100 ev/s: 3/4 of each second idle
        int n = (int) (secondsSinceRestart / 10);
        for (int i = 0; i < n; i++) {
            job.step(100);
            src.record();
        }
        assertEquals(busy, src.current(Instant.ofEpochSecond(1_700_000_000L + (8 + n) * 10L)).cpu().value(), 1e-6);
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> idle() {
        return Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(10, 1 - 0.75 * 10 / 60),
                org.junit.jupiter.params.provider.Arguments.of(30, 1 - 0.75 * 30 / 60),
                org.junit.jupiter.params.provider.Arguments.of(60, 0.25));
    }
}

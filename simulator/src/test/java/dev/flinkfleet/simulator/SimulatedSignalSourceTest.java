package dev.flinkfleet.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.simulator.model.FluidJob;
import dev.flinkfleet.simulator.model.JobModel;

class SimulatedSignalSourceTest {

    // 100 ev/s per worker, 60 s restart, 60 s checkpoints; 10 s steps; rate window 6 steps, growth window 12.
    final JobModel model = new JobModel(100, 1, 1, 60, 60, 1000, 0, 300, 1, 0, 60, 120, 60, 10, 1, 0);
    final FluidJob job = new FluidJob(model, 10, 2);
    final SimulatedSignalSource source = new SimulatedSignalSource(new JobRef("sim", "a"), job, 10, 0, 6, 12);

    void steps(int n, double rate) {
        for (int i = 0; i < n; i++) {
            job.step(rate);
            source.record();
        }
    }

    @Test
    void steadyOverloadShowsTrueCapacityGrowthAndBacklogTime() {
        steps(12, 250); // 2 workers carry 200 ev/s: backlog grows by 50/s
        Signals s = source.current(Instant.EPOCH);
        assertEquals(250, s.inputRate().value(), 1e-9);
        assertEquals(200, s.throughput().value(), 1e-9);
        assertEquals(1, s.cpu().value(), 1e-9);
        assertEquals(50, s.backlogGrowth().value(), 1e-9);
        assertEquals(50 * 120, s.backlog().value(), 1e-9);
        assertEquals(50 * 120 / 200.0, s.backlogTime().value(), 1e-9);
    }

    @Test
    void aWindowThatIsAllRestartHasNoThroughputNorCpu() {
        steps(12, 100);
        job.rescale(3);
        steps(6, 100);
        Signals s = source.current(Instant.EPOCH);
        assertTrue(s.throughput().isMissing());
        assertTrue(s.cpu().isMissing());
        assertTrue(s.backlogTime().isMissing(), "lag without throughput has no backlog time");
        assertEquals(100, s.inputRate().value(), 1e-9);
        assertEquals(100 * 60 + 100 * 30, s.backlog().value(), 1e-9);
    }

    @Test
    void throughputAndCpuCoverOnlyTheRunningPartOfTheWindow() {
        steps(12, 100);
        job.rescale(3);
        steps(9, 100); // 6 steps down, 3 steps running at 300 ev/s on the backlog
        Signals s = source.current(Instant.EPOCH);
        assertEquals(300, s.throughput().value(), 1e-9);
        assertEquals(1, s.cpu().value(), 1e-9);
    }
}

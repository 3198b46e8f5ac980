package dev.flinkfleet.simulator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.simulator.model.FluidJob;
import dev.flinkfleet.simulator.model.JobModel;
import dev.flinkfleet.simulator.model.SeriesRecorder;

/** The per-step work (model step, signal ring buffer, plot buckets) allocates nothing. */
class InnerLoopAllocationTest {

    @Test
    void stepsAllocateNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        JobModel m = new JobModel(100, 0.9, 1, 60, 60, 1000, 0, 300, 1, 30, 60, 120, 60, 10, 1, 0);
        FluidJob f = new FluidJob(m, 10, 3);
        SimulatedSignalSource s = new SimulatedSignalSource(new JobRef("sim", "a"), f, 10, 3, 6, 12);
        SeriesRecorder r = new SeriesRecorder(0, 10, 200_000, 1000);
        run(f, s, r, 0, 1000); // load classes before measuring
        long before = mx.getCurrentThreadAllocatedBytes();
        run(f, s, r, 1000, 200_000);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        // A boxed value or array per step would be megabytes; the bean call itself may count a few bytes.
        assertTrue(allocated < 1024, allocated + " bytes allocated by 199,000 steps");
    }

    private static void run(FluidJob f, SimulatedSignalSource s, SeriesRecorder r, int from, int to) {
        for (int i = from; i < to; i++) {
            double rate = 250 + 200 * Math.sin(i / 500.0);
            if (i % 5000 == 0) {
                f.rescale(f.workers() == 3 ? 5 : 3);
            }
            f.step(rate);
            s.record();
            r.record(i, rate, f.lastCapacityEps(), f.workers(), f.backlog(), f.lastLatency());
        }
    }
}

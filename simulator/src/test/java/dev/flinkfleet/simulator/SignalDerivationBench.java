package dev.flinkfleet.simulator;

import java.lang.management.ManagementFactory;
import java.time.Instant;

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.simulator.model.FluidJob;
import dev.flinkfleet.simulator.model.JobModel;

/**
 * Not a test: what the simulated signal path costs, on one thread's CPU clock. Per control cycle of each of
 * {@code jobs} jobs: six model steps with {@link SimulatedSignalSource#record} (timed as "steps"), then one
 * {@link SimulatedSignalSource#current} (timed as "derive": build the raw observations, run the engine's
 * derivation), with the thread's allocated bytes. Three rounds of {@code cycles}; the first warms up.
 * {@code java -cp ... dev.flinkfleet.simulator.SignalDerivationBench [jobs] [cycles]}.
 */
public final class SignalDerivationBench {

    private SignalDerivationBench() {
    }

    public static void main(String[] args) {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int cyclesPerRound = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // The default job model: 1,000 ev/s per worker, 60 s restarts and checkpoints, metrics 30 s late, 10 s steps.
        JobModel m = new JobModel(1000, 1, 1, 60, 60, 128, 0, 300, 1, 30, 60, 120, 60, 10, 1, 0);
        FluidJob[] fluid = new FluidJob[jobs];
        SimulatedSignalSource[] source = new SimulatedSignalSource[jobs];
        for (int j = 0; j < jobs; j++) {
            fluid[j] = new FluidJob(m, 10, 5);
            source[j] = new SimulatedSignalSource(new JobRef("sim", "j" + j), fluid[j], 10, 3, 6, 12);
        }
        long cycle = 0;
        int checksum = 0;
        for (int round = 0; round < 3; round++) {
            long stepNanos = 0;
            long deriveNanos = 0;
            long deriveBytes = 0;
            for (int c = 0; c < cyclesPerRound; c++, cycle++) {
                if (cycle % 1000 == 0) {
                    for (FluidJob f : fluid) {
                        f.rescale(f.workers() == 5 ? 6 : 5);
                    }
                }
                long t0 = mx.getCurrentThreadCpuTime();
                for (int j = 0; j < jobs; j++) {
                    for (int k = 0; k < 6; k++) {
                        fluid[j].step(4000 + 1000 * Math.sin((cycle * 6 + k + j) / 300.0));
                        source[j].record();
                    }
                }
                long t1 = mx.getCurrentThreadCpuTime();
                long b0 = mx.getCurrentThreadAllocatedBytes();
                Instant now = Instant.ofEpochSecond(1_700_000_000L + (cycle + 1) * 60);
                for (int j = 0; j < jobs; j++) {
                    Signals s = source[j].current(now);
                    checksum += s.currentWorkers();
                }
                long t2 = mx.getCurrentThreadCpuTime();
                deriveBytes += mx.getCurrentThreadAllocatedBytes() - b0;
                stepNanos += t1 - t0;
                deriveNanos += t2 - t1;
            }
            double n = (double) cyclesPerRound * jobs;
            System.out.printf("round %d: steps %.1f ns per job-step; derive %.0f ns and %.0f bytes per control cycle%n",
                    round, stepNanos / (n * 6), deriveNanos / n, deriveBytes / n);
        }
        System.out.println("checksum " + checksum);
    }
}

package dev.flinkfleet.simulator.model;

import com.typesafe.config.Config;

import dev.flinkfleet.policies.config.Settings;

/**
 * The model of one Flink job; every field is a key of {@code flinkfleet.simulator.job-model} in the
 * simulator's reference.conf, where each is documented with its default.
 */
public record JobModel(
        double perWorkerEps,
        double scalingExponent,
        double vcpuPerWorker,
        double restartSeconds,
        double checkpointIntervalSeconds,
        int maxParallelism,
        int initialWorkers,
        double slaLatencySeconds,
        double baseLatencySeconds,
        double metricsDelaySeconds,
        double signalWindowSeconds,
        double growthWindowSeconds,
        double controlIntervalSeconds,
        double subStepSeconds,
        double traceScale,
        int targetPeakWorkers) {

    /** Reads a model from a config that already has the reference defaults merged in. */
    public static JobModel fromConfig(Config c) {
        return new JobModel(
                Settings.doubleAtLeast(c, "per-worker-eps", 0, false),
                Settings.fraction(c, "scaling-exponent", false),
                Settings.doubleAtLeast(c, "vcpu-per-worker", 0, false),
                Settings.doubleAtLeast(c, "restart-seconds", 0, true),
                Settings.doubleAtLeast(c, "checkpoint-interval-seconds", 0, true),
                Settings.intAtLeast(c, "max-parallelism", 1),
                Settings.intAtLeast(c, "initial-workers", 0),
                Settings.doubleAtLeast(c, "sla-latency-seconds", 0, false),
                Settings.doubleAtLeast(c, "base-latency-seconds", 0, true),
                Settings.doubleAtLeast(c, "metrics-delay-seconds", 0, true),
                Settings.doubleAtLeast(c, "signal-window-seconds", 0, false),
                Settings.doubleAtLeast(c, "growth-window-seconds", 0, false),
                Settings.doubleAtLeast(c, "control-interval-seconds", 0, false),
                Settings.doubleAtLeast(c, "sub-step-seconds", 0, false),
                Settings.doubleAtLeast(c, "trace-scale", 0, false),
                Settings.intAtLeast(c, "target-peak-workers", 0));
    }

    /** Events per second that {@code workers} workers process flat out. */
    public double capacity(int workers) {
        int n = Math.min(workers, maxParallelism);
        if (n <= 0) {
            return 0;
        }
        return scalingExponent == 1.0 ? perWorkerEps * n : perWorkerEps * Math.pow(n, scalingExponent);
    }

    /** The fewest workers whose capacity is at least {@code eps}, capped at max parallelism. */
    public int workersFor(double eps) {
        if (eps <= 0) {
            return 1;
        }
        int n = (int) Math.max(1, Math.floor(Math.pow(eps / perWorkerEps, 1.0 / scalingExponent)));
        while (n > 1 && capacity(n - 1) >= eps) {
            n--;
        }
        while (n < maxParallelism && capacity(n) < eps) {
            n++;
        }
        return Math.min(n, maxParallelism);
    }

    /** The factor applied to the raw trace for a trace whose raw peak is {@code rawPeak}. */
    public double scaleFor(double rawPeak) {
        if (targetPeakWorkers > 0 && rawPeak > 0) {
            return capacity(targetPeakWorkers) / rawPeak;
        }
        return traceScale;
    }
}

package dev.flinkfleet.simulator.model;

import com.typesafe.config.Config;

import dev.flinkfleet.policies.config.SettingsCollector;

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
        int targetPeakWorkers,
        double scrapeIntervalSeconds,
        double metricsStaleAfterSeconds,
        double kafkaStaleAfterSeconds,
        double lostSampleFraction,
        boolean metersRestartWithTasks,
        double pendingRecordsCap) implements java.io.Serializable {

    /** A model whose meters span restarts and whose pendingRecords is the whole backlog (the two keys' defaults). */
    public JobModel(double perWorkerEps, double scalingExponent, double vcpuPerWorker, double restartSeconds,
                    double checkpointIntervalSeconds, int maxParallelism, int initialWorkers, double slaLatencySeconds,
                    double baseLatencySeconds, double metricsDelaySeconds, double signalWindowSeconds,
                    double growthWindowSeconds, double controlIntervalSeconds, double subStepSeconds, double traceScale,
                    int targetPeakWorkers, double scrapeIntervalSeconds, double metricsStaleAfterSeconds,
                    double kafkaStaleAfterSeconds, double lostSampleFraction) {
        this(perWorkerEps, scalingExponent, vcpuPerWorker, restartSeconds, checkpointIntervalSeconds, maxParallelism,
                initialWorkers, slaLatencySeconds, baseLatencySeconds, metricsDelaySeconds, signalWindowSeconds,
                growthWindowSeconds, controlIntervalSeconds, subStepSeconds, traceScale, targetPeakWorkers,
                scrapeIntervalSeconds, metricsStaleAfterSeconds, kafkaStaleAfterSeconds, lostSampleFraction, false, 0);
    }

    /** Defaults of the signal-pipeline keys, as in reference.conf (for models built in code). */
    public static final double DEFAULT_SCRAPE_INTERVAL_SECONDS = 10;
    public static final double DEFAULT_METRICS_STALE_AFTER_SECONDS = 60;
    public static final double DEFAULT_KAFKA_STALE_AFTER_SECONDS = 180;

    /** A model with the signal-pipeline keys at their defaults and no lost samples. */
    public JobModel(double perWorkerEps, double scalingExponent, double vcpuPerWorker, double restartSeconds,
                    double checkpointIntervalSeconds, int maxParallelism, int initialWorkers, double slaLatencySeconds,
                    double baseLatencySeconds, double metricsDelaySeconds, double signalWindowSeconds,
                    double growthWindowSeconds, double controlIntervalSeconds, double subStepSeconds, double traceScale,
                    int targetPeakWorkers) {
        this(perWorkerEps, scalingExponent, vcpuPerWorker, restartSeconds, checkpointIntervalSeconds, maxParallelism,
                initialWorkers, slaLatencySeconds, baseLatencySeconds, metricsDelaySeconds, signalWindowSeconds,
                growthWindowSeconds, controlIntervalSeconds, subStepSeconds, traceScale, targetPeakWorkers,
                DEFAULT_SCRAPE_INTERVAL_SECONDS, DEFAULT_METRICS_STALE_AFTER_SECONDS, DEFAULT_KAFKA_STALE_AFTER_SECONDS, 0);
    }

    /** Longest time (delay, windows, control interval, sub-step), seconds: bounds the signal ring buffer. */
    public static final double MAX_SECONDS = 86_400;
    /** Longest restart or checkpoint interval, seconds (about 115 days). */
    public static final double MAX_DOWNTIME_SECONDS = 1e7;
    /** Largest per-worker rate, events per second; with MAX_WORKERS, capacity stays below 1e18 ev/s. */
    public static final double MAX_EPS = 1e12;
    /** Largest worker count (max-parallelism, initial and target workers). */
    public static final int MAX_WORKERS = 1_000_000;
    /** Largest latency bound (SLA, base latency), seconds (about 31 years). */
    public static final double MAX_LATENCY_SECONDS = 1e9;
    /** Largest trace scale and vCPUs per worker. */
    public static final double MAX_FACTOR = 1e12;

    /**
     * Reads a model from a config that already has the reference defaults merged in. Every key is read, so all
     * bad values are reported together (one {@link com.typesafe.config.ConfigException}, or a
     * {@link com.typesafe.config.ConfigException.ValidationFailed} holding each with its origin).
     */
    public static JobModel fromConfig(Config c) {
        SettingsCollector r = new SettingsCollector(c);
        JobModel m = new JobModel(
                r.doubleBetween("per-worker-eps", 0, false, MAX_EPS),
                r.fraction("scaling-exponent", false),
                r.doubleBetween("vcpu-per-worker", 0, false, MAX_FACTOR),
                r.doubleBetween("restart-seconds", 0, true, MAX_DOWNTIME_SECONDS),
                r.doubleBetween("checkpoint-interval-seconds", 0, true, MAX_DOWNTIME_SECONDS),
                r.intBetween("max-parallelism", 1, MAX_WORKERS),
                r.intBetween("initial-workers", 0, MAX_WORKERS),
                r.doubleBetween("sla-latency-seconds", 0, false, MAX_LATENCY_SECONDS),
                r.doubleBetween("base-latency-seconds", 0, true, MAX_LATENCY_SECONDS),
                r.doubleBetween("metrics-delay-seconds", 0, true, MAX_SECONDS),
                r.doubleBetween("signal-window-seconds", 0, false, MAX_SECONDS),
                r.doubleBetween("growth-window-seconds", 0, false, MAX_SECONDS),
                r.doubleBetween("control-interval-seconds", 0, false, MAX_SECONDS),
                // The model steps in whole seconds (a divisor of the trace step), so a sub-step is at least 1 s.
                r.doubleBetween("sub-step-seconds", 1, true, MAX_SECONDS),
                r.doubleBetween("trace-scale", 0, false, MAX_FACTOR),
                r.intBetween("target-peak-workers", 0, MAX_WORKERS),
                r.doubleBetween("scrape-interval-seconds", 0, false, MAX_SECONDS),
                r.doubleBetween("metrics-stale-after-seconds", 0, false, MAX_SECONDS),
                r.doubleBetween("kafka-stale-after-seconds", 0, false, MAX_SECONDS),
                r.fraction("lost-sample-fraction", true),
                r.bool("meters-restart-with-tasks"),
                r.doubleBetween("pending-records-cap", 0, true, MAX_EPS));
        r.throwIfAny();
        return m;
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
        // Clamped before the int cast: a huge rate (or a tiny exponent) would otherwise start the walk at 2^31.
        double guess = Math.pow(eps / perWorkerEps, 1.0 / scalingExponent);
        int n = !(guess < maxParallelism) ? maxParallelism : (int) Math.max(1, Math.floor(guess));
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

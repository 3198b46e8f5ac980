package dev.flinkfleet.policies.signals;

import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.SignalKind;

/**
 * What the metrics backend (Prometheus over Flink's reporter, or the simulated job) returned for one job at one
 * evaluation: per signal the value and the time of the oldest sample behind it; a null sample means no series.
 * Times are epoch seconds.
 *
 * @param evaluatedAtSeconds when the values were evaluated (an instant query's evaluation time)
 * @param staleAfterSeconds  values older than this are {@link dev.flinkfleet.policies.Quality#STALE}
 */
public record MetricObservation(
        double evaluatedAtSeconds,
        double staleAfterSeconds,
        Sample throughput,
        Sample cpu,
        Sample watermarkLag,
        Sample backlog,
        Sample backlogGrowth,
        Sample inputRate) {

    /** Busy fractions up to this are measurement jitter and clamped to 1; above it the units are wrong. */
    public static final double CPU_OVERSHOOT_LIMIT = 1.1;

    /** One value and the epoch second of the oldest sample behind it. */
    public record Sample(double value, double timestampSeconds) {
    }

    /** The raw sample of {@code kind}, or null when the backend had none (backlog time is never observed). */
    public Sample sample(SignalKind kind) {
        return switch (kind) {
            case THROUGHPUT -> throughput;
            case CPU -> cpu;
            case WATERMARK_LAG -> watermarkLag;
            case BACKLOG -> backlog;
            case BACKLOG_GROWTH -> backlogGrowth;
            case INPUT_RATE -> inputRate;
            case BACKLOG_TIME -> null;
        };
    }

    /** The classified measurement of {@code kind}; see {@link #classify}. */
    public Measurement measurement(SignalKind kind) {
        Sample s = sample(kind);
        return s == null ? Measurement.missing() : classify(kind, s.value(), s.timestampSeconds(), evaluatedAtSeconds, staleAfterSeconds);
    }

    /**
     * One raw metric value as a measurement: missing when the value is unusable (NaN, infinite, negative for an
     * unsigned signal, CPU far above 1), stale when its sample is older than {@code staleAfterSeconds} at
     * {@code evaluatedAtSeconds}.
     */
    public static Measurement classify(SignalKind kind, double value, double sampleTimeSeconds,
                                       double evaluatedAtSeconds, double staleAfterSeconds) {
        double v = value;
        if (kind == SignalKind.CPU && v > 1) {
            // Busy time is sampled per second and can overshoot slightly; far above 1 means a template lacks /1000.
            v = v <= CPU_OVERSHOOT_LIMIT ? 1 : Double.NaN;
        }
        return Measurement.of(kind, v, evaluatedAtSeconds - sampleTimeSeconds, staleAfterSeconds);
    }
}

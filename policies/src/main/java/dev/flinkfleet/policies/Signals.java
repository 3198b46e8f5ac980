package dev.flinkfleet.policies;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything known about one job at one control cycle. Built by a {@link SignalSource}; read by policies and
 * the governor. Worker counts are facts about the deployment (read from its spec), not measurements.
 *
 * @param job                the job
 * @param observedAt         the cycle's {@code now}
 * @param inputRate          events/s arriving
 * @param throughput         events/s processed
 * @param backlog            records waiting (consumer lag)
 * @param backlogGrowth      d(backlog)/dt, records/s, may be negative
 * @param backlogTime        backlog / throughput, seconds
 * @param cpu                busy fraction per worker, 0..1
 * @param watermarkLag       event-time latency, seconds
 * @param currentWorkers     TaskManager replicas now (&gt;= 1)
 * @param currentParallelism job parallelism now (&gt;= 1)
 * @param maxParallelism     upper bound on useful parallelism (Kafka partitions); 0 when unknown
 */
public record Signals(
        JobRef job,
        Instant observedAt,
        Measurement inputRate,
        Measurement throughput,
        Measurement backlog,
        Measurement backlogGrowth,
        Measurement backlogTime,
        Measurement cpu,
        Measurement watermarkLag,
        int currentWorkers,
        int currentParallelism,
        int maxParallelism) {

    public Signals {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(observedAt, "observedAt");
        Objects.requireNonNull(inputRate, "inputRate");
        Objects.requireNonNull(throughput, "throughput");
        Objects.requireNonNull(backlog, "backlog");
        Objects.requireNonNull(backlogGrowth, "backlogGrowth");
        Objects.requireNonNull(backlogTime, "backlogTime");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(watermarkLag, "watermarkLag");
        if (currentWorkers < 1) {
            throw new IllegalArgumentException(job + ": current workers must be >= 1, got " + currentWorkers);
        }
        if (currentParallelism < 1) {
            throw new IllegalArgumentException(job + ": current parallelism must be >= 1, got " + currentParallelism);
        }
        if (maxParallelism < 0) {
            throw new IllegalArgumentException(job + ": max parallelism must be >= 0 (0 = unknown), got " + maxParallelism);
        }
    }

    /** The measurement for {@code kind}. */
    public Measurement get(SignalKind kind) {
        return switch (kind) {
            case INPUT_RATE -> inputRate;
            case THROUGHPUT -> throughput;
            case BACKLOG -> backlog;
            case BACKLOG_GROWTH -> backlogGrowth;
            case BACKLOG_TIME -> backlogTime;
            case CPU -> cpu;
            case WATERMARK_LAG -> watermarkLag;
        };
    }

    /** The worst quality among {@code kinds}. */
    public Quality worstQuality(Iterable<SignalKind> kinds) {
        Quality worst = Quality.FRESH;
        for (SignalKind k : kinds) {
            Quality q = get(k).quality();
            if (q.ordinal() > worst.ordinal()) {
                worst = q;
            }
        }
        return worst;
    }

    /** All measurements keyed by signal, in declaration order (for explain output and logs). */
    public Map<SignalKind, Measurement> asMap() {
        Map<SignalKind, Measurement> m = new EnumMap<>(SignalKind.class);
        for (SignalKind k : SignalKind.values()) {
            m.put(k, get(k));
        }
        return m;
    }

    public static Builder builder(JobRef job, Instant observedAt) {
        return new Builder(job, observedAt);
    }

    /** Mutable helper for sources and tests; every signal starts missing. */
    public static final class Builder {
        private final JobRef job;
        private final Instant observedAt;
        private final EnumMap<SignalKind, Measurement> values = new EnumMap<>(SignalKind.class);
        private int currentWorkers = 1;
        private int currentParallelism = 1;
        private int maxParallelism = 0;

        private Builder(JobRef job, Instant observedAt) {
            this.job = job;
            this.observedAt = observedAt;
        }

        public Builder set(SignalKind kind, Measurement m) {
            values.put(kind, Objects.requireNonNull(m));
            return this;
        }

        /** A fresh value of age 0; unusable values become missing. */
        public Builder fresh(SignalKind kind, double value) {
            return set(kind, Measurement.fresh(kind, value));
        }

        public Builder workers(int workers) {
            this.currentWorkers = workers;
            return this;
        }

        public Builder parallelism(int parallelism) {
            this.currentParallelism = parallelism;
            return this;
        }

        public Builder maxParallelism(int maxParallelism) {
            this.maxParallelism = maxParallelism;
            return this;
        }

        public Signals build() {
            return new Signals(job, observedAt,
                    m(SignalKind.INPUT_RATE), m(SignalKind.THROUGHPUT), m(SignalKind.BACKLOG),
                    m(SignalKind.BACKLOG_GROWTH), m(SignalKind.BACKLOG_TIME), m(SignalKind.CPU),
                    m(SignalKind.WATERMARK_LAG), currentWorkers, currentParallelism, maxParallelism);
        }

        private Measurement m(SignalKind k) {
            return values.getOrDefault(k, Measurement.missing());
        }
    }
}

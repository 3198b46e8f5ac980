package dev.flinkfleet.policies.signals;

import java.time.Instant;

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.policies.signals.BacklogSignals.KafkaMeasurements;

/**
 * Merges one job's Kafka and metric measurements into the {@link Signals} the engine sees. Pure. The daemon
 * (Kafka and Prometheus) and the simulator (its job model) both end here: this is the only place the
 * preference rules live.
 * <ul>
 * <li>Backlog and its growth: the source connector's {@code pendingRecords} (Prometheus) when usable, because
 * committed-offset lag trails by a checkpoint interval; else Kafka lag. Growth comes from the same source as
 * the backlog when it can, so the two agree.</li>
 * <li>Input rate: Kafka's log-end offset rate (exact, unaffected by checkpoints), else Prometheus.</li>
 * <li>Backlog time: backlog ÷ throughput, as old and as trusted as the worse of the two; zero backlog is zero
 * backlog time whatever the throughput.</li>
 * <li>Max parallelism: the partition count Kafka reported.</li>
 * </ul>
 */
public final class SignalMerger {

    private SignalMerger() {
    }

    /**
     * @param workers     TaskManager replicas now
     * @param parallelism job parallelism now
     * @param kafka       the job's Kafka measurements, or null when not read from Kafka
     * @param prom        the job's metric observation, or null when metrics are off, failed or not wired
     */
    public static Signals merge(JobRef job, int workers, int parallelism, KafkaMeasurements kafka, MetricObservation prom,
                                Instant now) {
        Measurement promBacklog = prom(prom, SignalKind.BACKLOG);
        Measurement promGrowth = prom(prom, SignalKind.BACKLOG_GROWTH);
        Measurement kafkaBacklog = kafka == null ? Measurement.missing() : kafka.backlog();
        Measurement kafkaGrowth = kafka == null ? Measurement.missing() : kafka.backlogGrowth();

        boolean fromProm = better(promBacklog, kafkaBacklog);
        Measurement backlog = fromProm ? promBacklog : kafkaBacklog;
        Measurement growth = fromProm ? firstUsable(promGrowth, kafkaGrowth) : firstUsable(kafkaGrowth, promGrowth);
        Measurement kafkaInput = kafka == null ? Measurement.missing() : kafka.inputRate();
        // A fresh Kafka input rate is never worse than the metric one: the latter is not even classified then.
        Measurement input = kafkaInput.isFresh() ? kafkaInput : firstUsable(kafkaInput, prom(prom, SignalKind.INPUT_RATE));
        Measurement throughput = prom(prom, SignalKind.THROUGHPUT);

        return Signals.builder(job, now)
                .set(SignalKind.INPUT_RATE, input)
                .set(SignalKind.THROUGHPUT, throughput)
                .set(SignalKind.BACKLOG, backlog)
                .set(SignalKind.BACKLOG_GROWTH, growth)
                .set(SignalKind.BACKLOG_TIME, backlogTime(backlog, throughput))
                .set(SignalKind.CPU, prom(prom, SignalKind.CPU))
                .set(SignalKind.WATERMARK_LAG, prom(prom, SignalKind.WATERMARK_LAG))
                .workers(workers)
                .parallelism(parallelism)
                .maxParallelism(kafka == null ? 0 : kafka.maxParallelism())
                .build();
    }

    public static Measurement backlogTime(Measurement backlog, Measurement throughput) {
        if (backlog.isMissing()) {
            return Measurement.missing();
        }
        if (backlog.value() == 0) {
            return new Measurement(0, backlog.ageSeconds(), backlog.quality());
        }
        if (throughput.isMissing() || throughput.value() <= 0) {
            // A job that processes nothing has no meaningful backlog time; the policy decides what that means.
            return Measurement.missing();
        }
        Quality q = backlog.quality().ordinal() >= throughput.quality().ordinal() ? backlog.quality() : throughput.quality();
        return new Measurement(backlog.value() / throughput.value(), Math.max(backlog.ageSeconds(), throughput.ageSeconds()), q);
    }

    /** True when {@code a} should be used over {@code b}: usable, and not worse in quality. */
    private static boolean better(Measurement a, Measurement b) {
        if (a.isMissing()) {
            return false;
        }
        return b.isMissing() || a.quality().ordinal() <= b.quality().ordinal();
    }

    private static Measurement firstUsable(Measurement a, Measurement b) {
        return better(a, b) || b.isMissing() ? a : b;
    }

    private static Measurement prom(MetricObservation prom, SignalKind kind) {
        return prom == null ? Measurement.missing() : prom.measurement(kind);
    }
}

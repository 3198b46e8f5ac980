package dev.flinkfleet.autoscaler.daemon;

import java.time.Instant;

import dev.flinkfleet.autoscaler.kafka.BacklogSignals.KafkaMeasurements;
import dev.flinkfleet.autoscaler.prometheus.PromSnapshot;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/**
 * Merges one job's Kafka and Prometheus measurements into the {@link Signals} the engine sees. Pure.
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
     * @param kafka the job's Kafka measurements, or null when not read from Kafka
     * @param prom  this cycle's Prometheus snapshot, or null when Prometheus is off or failed
     */
    public static Signals merge(JobWiring wiring, KafkaMeasurements kafka, PromSnapshot prom, Instant now) {
        Measurement promBacklog = prom(prom, wiring, SignalKind.BACKLOG);
        Measurement promGrowth = prom(prom, wiring, SignalKind.BACKLOG_GROWTH);
        Measurement kafkaBacklog = kafka == null ? Measurement.missing() : kafka.backlog();
        Measurement kafkaGrowth = kafka == null ? Measurement.missing() : kafka.backlogGrowth();

        boolean fromProm = better(promBacklog, kafkaBacklog);
        Measurement backlog = fromProm ? promBacklog : kafkaBacklog;
        Measurement growth = fromProm ? firstUsable(promGrowth, kafkaGrowth) : firstUsable(kafkaGrowth, promGrowth);
        Measurement input = firstUsable(kafka == null ? Measurement.missing() : kafka.inputRate(), prom(prom, wiring, SignalKind.INPUT_RATE));
        Measurement throughput = prom(prom, wiring, SignalKind.THROUGHPUT);

        return Signals.builder(wiring.job(), now)
                .set(SignalKind.INPUT_RATE, input)
                .set(SignalKind.THROUGHPUT, throughput)
                .set(SignalKind.BACKLOG, backlog)
                .set(SignalKind.BACKLOG_GROWTH, growth)
                .set(SignalKind.BACKLOG_TIME, backlogTime(backlog, throughput))
                .set(SignalKind.CPU, prom(prom, wiring, SignalKind.CPU))
                .set(SignalKind.WATERMARK_LAG, prom(prom, wiring, SignalKind.WATERMARK_LAG))
                .workers(wiring.workers())
                .parallelism(wiring.parallelism())
                .maxParallelism(kafka == null ? 0 : kafka.maxParallelism())
                .build();
    }

    static Measurement backlogTime(Measurement backlog, Measurement throughput) {
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

    private static Measurement prom(PromSnapshot prom, JobWiring wiring, SignalKind kind) {
        if (prom == null || wiring.promJob() == null) {
            return Measurement.missing();
        }
        return prom.measurement(kind, wiring.promJob());
    }
}

package dev.flinkfleet.policies.signals;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.SignalKind;

/**
 * Turns each cycle's {@link OffsetObservation}s into {@link Measurement}s for {@link SignalKind#BACKLOG},
 * {@link SignalKind#BACKLOG_GROWTH} and {@link SignalKind#INPUT_RATE}, keeping a {@link BacklogHistory} per job.
 * A failed read adds nothing: the previous values keep ageing until they turn stale. Not thread-safe.
 */
public final class BacklogSignals {

    /**
     * The Kafka-derived signals of one job.
     *
     * @param maxParallelism partitions of the job's topics from the last successful read; 0 when unknown
     * @param failure        why the latest read failed, else empty
     */
    public record KafkaMeasurements(Measurement backlog, Measurement backlogGrowth, Measurement inputRate,
                                    int maxParallelism, String failure) {
    }

    private final OffsetSettings settings;
    private final double staleAfterSeconds;
    private final Map<JobRef, BacklogHistory> histories = new HashMap<>();
    private final Map<JobRef, Integer> partitions = new HashMap<>();

    public BacklogSignals(OffsetSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.staleAfterSeconds = settings.staleAfter().toMillis() / 1000.0;
    }

    /** Records this cycle's snapshots and returns every snapshot's job's measurements as of {@code now}. */
    public Map<JobRef, KafkaMeasurements> update(Map<JobRef, OffsetObservation> snapshots, Instant now) {
        Map<JobRef, KafkaMeasurements> out = new HashMap<>();
        for (OffsetObservation s : snapshots.values()) {
            out.put(s.job(), update(s, now));
        }
        return out;
    }

    /** Records one job's observation and returns its measurements as of {@code now}. */
    public KafkaMeasurements update(OffsetObservation s, Instant now) {
        if (s.status() != OffsetObservation.Status.FAILED) {
            BacklogHistory h = histories.get(s.job());
            if (h == null) {
                h = new BacklogHistory(settings.historySamples());
                histories.put(s.job(), h);
            }
            h.add(s.readAt(), s.partitionCount(), s.logEndSum().getAsLong(), s.positionSum());
            partitions.put(s.job(), s.partitionCount());
        }
        return measurements(s.job(), now, s.failure());
    }

    /** The job's measurements as of {@code now}; all missing when it has no history. */
    public KafkaMeasurements measurements(JobRef job, Instant now, String failure) {
        BacklogHistory h = histories.get(job);
        if (h == null) {
            return new KafkaMeasurements(Measurement.missing(), Measurement.missing(), Measurement.missing(), 0, failure);
        }
        BacklogHistory.Estimates e = h.estimate(settings.rateWindow(), settings.growthWindow());
        return new KafkaMeasurements(
                toMeasurement(SignalKind.BACKLOG, e.backlog(), now),
                toMeasurement(SignalKind.BACKLOG_GROWTH, e.growth(), now),
                toMeasurement(SignalKind.INPUT_RATE, e.inputRate(), now),
                partitions.getOrDefault(job, 0),
                failure);
    }

    /** Forgets jobs that are no longer managed. */
    public void retainOnly(Set<JobRef> jobs) {
        histories.keySet().retainAll(jobs);
        partitions.keySet().retainAll(jobs);
    }

    private Measurement toMeasurement(SignalKind kind, BacklogHistory.Estimate e, Instant now) {
        if (e.isMissing()) {
            return Measurement.missing();
        }
        // A sample "from the future" (clock skew between reads) counts as age 0, not as an error.
        double age = Math.max(0, millisBetween(e.asOf(), now) / 1000.0);
        return Measurement.of(kind, e.value(), age, staleAfterSeconds);
    }

    /** {@code Duration.between(from, to).toMillis()} without the Duration: whole milliseconds, toward zero. */
    static long millisBetween(Instant from, Instant to) {
        long seconds = to.getEpochSecond() - from.getEpochSecond();
        long nanos = (long) to.getNano() - from.getNano();
        if (nanos < 0) {
            seconds--;
            nanos += 1_000_000_000L;
        }
        if (seconds < 0) {
            // As Duration.toMillis: a negative span is truncated toward zero.
            seconds++;
            nanos -= 1_000_000_000L;
        }
        return seconds * 1000 + nanos / 1_000_000;
    }
}

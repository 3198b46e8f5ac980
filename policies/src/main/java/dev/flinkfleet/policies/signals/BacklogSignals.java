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
    /** Per job: its history and the partition count of its last successful read. */
    private final Map<JobRef, Tracked> tracked = new HashMap<>();

    private static final class Tracked {
        final BacklogHistory history;
        int partitions;

        Tracked(int capacity) {
            history = new BacklogHistory(capacity);
        }
    }

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
        Tracked t = tracked.get(s.job());
        if (s.status() != OffsetObservation.Status.FAILED) {
            if (t == null) {
                t = new Tracked(settings.historySamples());
                tracked.put(s.job(), t);
            }
            t.history.add(s.readAt(), s.partitionCount(), s.logEndSum().getAsLong(), s.positionSum());
            t.partitions = s.partitionCount();
        }
        return measurements(t, now, s.failure());
    }

    /** The job's measurements as of {@code now}; all missing when it has no history. */
    public KafkaMeasurements measurements(JobRef job, Instant now, String failure) {
        return measurements(tracked.get(job), now, failure);
    }

    private KafkaMeasurements measurements(Tracked t, Instant now, String failure) {
        if (t == null) {
            return new KafkaMeasurements(Measurement.missing(), Measurement.missing(), Measurement.missing(), 0, failure);
        }
        BacklogHistory.Estimates e = t.history.estimate(settings.rateWindow(), settings.growthWindow());
        return new KafkaMeasurements(
                toMeasurement(SignalKind.BACKLOG, e.backlog(), now),
                toMeasurement(SignalKind.BACKLOG_GROWTH, e.growth(), now),
                toMeasurement(SignalKind.INPUT_RATE, e.inputRate(), now),
                t.partitions,
                failure);
    }

    /** Forgets jobs that are no longer managed. */
    public void retainOnly(Set<JobRef> jobs) {
        tracked.keySet().retainAll(jobs);
    }

    private Measurement toMeasurement(SignalKind kind, BacklogHistory.Estimate e, Instant now) {
        if (e.isMissing()) {
            return Measurement.missing();
        }
        // A sample "from the future" (clock skew between reads) counts as age 0, not as an error.
        double age = Math.max(0, millisBetween(e.asOfMillis(), now) / 1000.0);
        return Measurement.of(kind, e.value(), age, staleAfterSeconds);
    }

    /**
     * {@code Duration.between(Instant.ofEpochMilli(fromMillis), to).toMillis()} without the Instant and the
     * Duration: whole milliseconds, toward zero.
     */
    static long millisBetween(long fromMillis, Instant to) {
        long seconds = to.getEpochSecond() - Math.floorDiv(fromMillis, 1000);
        long nanos = (long) to.getNano() - Math.floorMod(fromMillis, 1000) * 1_000_000L;
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

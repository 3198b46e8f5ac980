package dev.flinkfleet.autoscaler.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import io.github.resilience4j.core.IntervalFunction;

import dev.flinkfleet.autoscaler.kafka.GroupBinding;
import dev.flinkfleet.autoscaler.kafka.KafkaBacklogReader;
import dev.flinkfleet.autoscaler.kafka.KafkaSignalSettings;
import dev.flinkfleet.autoscaler.kafka.KafkaUnreachableException;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.signals.OffsetObservation;

/**
 * One configured Kafka cluster's reader, created on first use and re-created with backoff while the Admin client
 * cannot be built (a bootstrap that does not resolve yet, a bad JAAS line): such a cluster never stops the daemon
 * from starting, its jobs just hold until it works. Not for concurrent use (one read per cluster at a time).
 */
final class KafkaConnection implements AutoCloseable {

    /** 5 s after the first failure, doubling, at most 5 min apart. */
    private static final IntervalFunction BACKOFF =
            IntervalFunction.ofExponentialBackoff(Duration.ofSeconds(5), 2.0, Duration.ofMinutes(5));

    private final DaemonSettings.KafkaCluster cluster;
    private final KafkaSignalSettings settings;
    private final Clock clock;
    private KafkaBacklogReader reader;
    private RuntimeException createFailure;
    private Instant nextAttempt = Instant.MIN;
    private int failures;
    private boolean closed;

    KafkaConnection(DaemonSettings.KafkaCluster cluster, KafkaSignalSettings settings, Clock clock) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Tries to build the Admin client now; null on success, else why not (the next read retries after backoff). */
    synchronized RuntimeException connect() {
        try {
            reader();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /**
     * Reads every job's backlog by {@code deadlineNanos}.
     *
     * @throws KafkaUnreachableException when the client cannot be created (yet) or no broker answered
     */
    synchronized Map<JobRef, OffsetObservation> read(Map<JobRef, GroupBinding> jobs, long deadlineNanos) {
        return reader().readBy(jobs, deadlineNanos);
    }

    private KafkaBacklogReader reader() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (reader != null) {
            return reader;
        }
        Instant now = clock.instant();
        if (createFailure != null && now.isBefore(nextAttempt)) {
            throw createFailure;
        }
        try {
            reader = KafkaBacklogReader.create(new HashMap<>(cluster.adminConfig()), settings, clock);
            createFailure = null;
            failures = 0;
            return reader;
        } catch (RuntimeException e) {
            createFailure = new KafkaUnreachableException("cannot create the Kafka Admin client: " + BackendHealth.describe(e), e, false);
            nextAttempt = now.plusMillis(BACKOFF.apply(++failures));
            throw createFailure;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (reader != null) {
            reader.close();
        }
    }
}

package dev.flinkfleet.autoscaler.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.signals.LagMath;
import dev.flinkfleet.policies.signals.OffsetObservation;
import dev.flinkfleet.policies.signals.PartitionLag;

/**
 * Reads the consumer lag of many jobs on one Kafka cluster with a fixed number of batched Admin calls per cycle,
 * however many jobs there are:
 * <ol>
 *   <li>{@code describeTopics} for topics whose partition count is not cached (cached for
 *       {@code topic-metadata-ttl}, so a partition added to a topic is seen within that time);</li>
 *   <li>one {@code listConsumerGroupOffsets} for all groups;</li>
 *   <li>one {@code listOffsets(latest)} for all partitions of all topics;</li>
 *   <li>only when some group has committed some but not all of its partitions: one {@code listOffsets(earliest)}
 *       for exactly those partitions. Flink's KafkaSource starts partitions it discovers later from the earliest
 *       offset, so their lag is counted from the log start (see {@link PartitionLag.Basis#LOG_START}).</li>
 * </ol>
 * Committed offsets are read before log-end offsets, so a commit racing the read can only overstate lag, never
 * make it negative. Every call has the configured deadline, and {@link #readBy} bounds a whole read by the cycle's
 * deadline and tells a cluster that did not answer at all from one that answered with an error. A topic or group
 * that fails marks only the jobs that
 * use it as failed, with the reason. One reader per cluster, shared by all jobs; not for concurrent use.
 */
public final class KafkaBacklogReader implements AutoCloseable {

    /** Slack on top of the Admin's own deadline before we stop waiting for a future ourselves. */
    private static final long GRACE_MILLIS = 1_000;

    private final Admin admin;
    private final boolean ownsAdmin;
    private final Clock clock;
    private final int timeoutMs;
    private final Cache<String, Integer> partitionCounts;

    /** A reader on an Admin client owned by the caller (not closed by {@link #close()}). */
    public KafkaBacklogReader(Admin admin, KafkaSignalSettings settings, Clock clock) {
        this(admin, false, settings, clock);
    }

    private KafkaBacklogReader(Admin admin, boolean ownsAdmin, KafkaSignalSettings settings, Clock clock) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.ownsAdmin = ownsAdmin;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeoutMs = (int) settings.adminTimeout().toMillis();
        // Expiry follows the injected clock, and maintenance runs inline, so tests can step time deterministically.
        this.partitionCounts = Caffeine.newBuilder()
                .expireAfterWrite(settings.topicMetadataTtl())
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run)
                .build();
    }

    /** A reader with its own Admin client built from {@code adminConfig} (at least {@code bootstrap.servers}). */
    public static KafkaBacklogReader create(Map<String, Object> adminConfig, KafkaSignalSettings settings, Clock clock) {
        if (!adminConfig.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("Kafka admin config needs bootstrap.servers, got keys " + adminConfig.keySet());
        }
        return new KafkaBacklogReader(Admin.create(adminConfig), true, settings, clock);
    }

    /** Reads every job's backlog; every job in {@code jobs} gets a snapshot. */
    public Map<JobRef, OffsetObservation> read(Map<JobRef, GroupBinding> jobs) {
        if (jobs.isEmpty()) {
            return Map.of();
        }
        // Waiting is real time, not the injected (logical) clock.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs + GRACE_MILLIS);
        Read r = new Read(deadline);
        Map<JobRef, String> failures = new HashMap<>();
        try {
            return readAll(jobs, failures, r);
        } catch (RuntimeException e) {
            return failedAll(jobs, failures, e);
        }
    }

    /**
     * Reads every job's backlog by {@code deadlineNanos} ({@link System#nanoTime()} scale); each Admin call's
     * deadline is the smaller of admin-timeout and the time left.
     *
     * @throws KafkaUnreachableException when no broker answered any call (the cluster is down, hung or refuses
     *                                   us), instead of failing every job one by one
     */
    public Map<JobRef, OffsetObservation> readBy(Map<JobRef, GroupBinding> jobs, long deadlineNanos) {
        if (jobs.isEmpty()) {
            return Map.of();
        }
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new KafkaUnreachableException("no time left in this cycle's Kafka deadline", null, true);
        }
        Read r = new Read(deadlineNanos);
        Map<JobRef, String> failures = new HashMap<>();
        Map<JobRef, OffsetObservation> out;
        try {
            out = readAll(jobs, failures, r);
        } catch (RuntimeException e) {
            if (!r.answered) {
                throw new KafkaUnreachableException("Kafka admin: " + describe(e), e, false);
            }
            return failedAll(jobs, failures, e);
        }
        if (!r.answered && r.silence != null) {
            throw new KafkaUnreachableException("no broker answered: " + describe(r.silence), r.silence, r.timedOut);
        }
        return out;
    }

    private Map<JobRef, OffsetObservation> failedAll(Map<JobRef, GroupBinding> jobs, Map<JobRef, String> failures, RuntimeException e) {
        // A call that could not even be issued (client closed, bad argument): every job fails this cycle.
        Instant now = clock.instant();
        Map<JobRef, OffsetObservation> out = new HashMap<>();
        String reason = "Kafka admin: " + describe(e);
        jobs.keySet().forEach(j -> out.put(j, OffsetObservation.failed(j, now, failures.getOrDefault(j, reason))));
        return out;
    }

    /** One read's deadline and whether any broker answered it (with data or with an error about a topic or group). */
    private static final class Read {
        final long deadline;
        boolean answered;
        boolean timedOut;
        Throwable silence;

        Read(long deadline) {
            this.deadline = deadline;
        }
    }

    /** Deadline of the next Admin call: admin-timeout, or less when the read's deadline is nearer. */
    private int callTimeout(Read r) {
        long left = TimeUnit.NANOSECONDS.toMillis(r.deadline - System.nanoTime());
        return (int) Math.max(1, Math.min(timeoutMs, left));
    }

    private Map<JobRef, OffsetObservation> readAll(Map<JobRef, GroupBinding> jobs, Map<JobRef, String> failures, Read deadline) {
        // 1. Partitions of every topic.
        Set<String> topics = new TreeSet<>();
        jobs.values().forEach(b -> topics.addAll(b.topics()));
        Map<String, String> topicFailures = new HashMap<>();
        Map<String, Integer> counts = partitionCounts(topics, topicFailures, deadline);
        Map<JobRef, List<TopicPartition>> jobPartitions = new HashMap<>();
        for (Map.Entry<JobRef, GroupBinding> e : jobs.entrySet()) {
            List<TopicPartition> tps = new ArrayList<>();
            for (String topic : e.getValue().topics()) {
                String failure = topicFailures.get(topic);
                if (failure != null) {
                    failures.put(e.getKey(), "topic " + topic + ": " + failure);
                    break;
                }
                for (int p = 0; p < counts.get(topic); p++) {
                    tps.add(new TopicPartition(topic, p));
                }
            }
            jobPartitions.put(e.getKey(), tps);
        }

        // 2. Committed offsets of all groups, one call.
        Map<String, Set<TopicPartition>> groupPartitions = new HashMap<>();
        jobs.forEach((job, b) -> {
            if (!failures.containsKey(job)) {
                groupPartitions.computeIfAbsent(b.groupId(), g -> new LinkedHashSet<>()).addAll(jobPartitions.get(job));
            }
        });
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
        Map<String, String> groupFailures = new HashMap<>();
        if (!groupPartitions.isEmpty()) {
            Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
            groupPartitions.forEach((g, tps) -> specs.put(g, new ListConsumerGroupOffsetsSpec().topicPartitions(tps)));
            ListConsumerGroupOffsetsResult result =
                    admin.listConsumerGroupOffsets(specs, new ListConsumerGroupOffsetsOptions().timeoutMs(callTimeout(deadline)));
            for (String g : specs.keySet()) {
                try {
                    committed.put(g, await(result.partitionsToOffsetAndMetadata(g), deadline));
                } catch (ReadFailure f) {
                    groupFailures.put(g, f.getMessage());
                }
            }
        }
        jobs.forEach((job, b) -> {
            String failure = groupFailures.get(b.groupId());
            if (failure != null && !failures.containsKey(job)) {
                failures.put(job, "group " + b.groupId() + ": " + failure);
            }
        });

        // 3. Log-end offsets of all partitions still needed, one call.
        Set<TopicPartition> needed = new LinkedHashSet<>();
        jobs.keySet().stream().filter(j -> !failures.containsKey(j)).forEach(j -> needed.addAll(jobPartitions.get(j)));
        Map<TopicPartition, String> partitionFailures = new HashMap<>();
        Map<TopicPartition, Long> ends = listOffsets(needed, OffsetSpec.latest(), partitionFailures, deadline);
        Instant readAt = clock.instant();

        // 4. Log-start offsets only for partitions a committing group has no offset for, one call if any.
        Set<TopicPartition> uncommitted = new LinkedHashSet<>();
        jobs.forEach((job, b) -> {
            if (!failures.containsKey(job)) {
                Map<TopicPartition, OffsetAndMetadata> offsets = committed.getOrDefault(b.groupId(), Map.of());
                List<TopicPartition> tps = jobPartitions.get(job);
                List<TopicPartition> missing = tps.stream().filter(tp -> offsets.get(tp) == null).toList();
                if (missing.size() < tps.size()) {
                    uncommitted.addAll(missing);
                }
            }
        });
        Map<TopicPartition, Long> starts = listOffsets(uncommitted, OffsetSpec.earliest(), partitionFailures, deadline);
        partitionFailures.keySet().forEach(tp -> partitionCounts.invalidate(tp.topic()));

        // 5. Assemble.
        Map<JobRef, OffsetObservation> out = new HashMap<>();
        for (Map.Entry<JobRef, GroupBinding> e : jobs.entrySet()) {
            JobRef job = e.getKey();
            String failure = failures.get(job);
            List<TopicPartition> tps = jobPartitions.get(job);
            if (failure == null) {
                failure = tps.stream().filter(partitionFailures::containsKey).findFirst()
                        .map(tp -> "partition " + tp + ": " + partitionFailures.get(tp)).orElse(null);
            }
            if (failure != null) {
                out.put(job, OffsetObservation.failed(job, readAt, failure));
                continue;
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = committed.getOrDefault(e.getValue().groupId(), Map.of());
            if (tps.stream().allMatch(tp -> offsets.get(tp) == null)) {
                long endSum = tps.stream().mapToLong(ends::get).sum();
                out.put(job, OffsetObservation.noCommits(job, readAt, tps.size(), endSum));
                continue;
            }
            List<PartitionLag> lags = new ArrayList<>(tps.size());
            for (TopicPartition tp : tps) {
                OffsetAndMetadata c = offsets.get(tp);
                lags.add(LagMath.partition(tp.topic(), tp.partition(), ends.get(tp),
                        c == null ? null : c.offset(), c == null ? starts.get(tp) : 0));
            }
            out.put(job, OffsetObservation.ok(job, readAt, lags));
        }
        return out;
    }

    /** Partition counts from the cache; misses are described in one call. Failed topics are not cached. */
    private Map<String, Integer> partitionCounts(Set<String> topics, Map<String, String> failures, Read deadline) {
        Map<String, Integer> counts = new HashMap<>(partitionCounts.getAllPresent(topics));
        List<String> missing = topics.stream().filter(t -> !counts.containsKey(t)).toList();
        if (missing.isEmpty()) {
            return counts;
        }
        Map<String, KafkaFuture<TopicDescription>> futures = admin.describeTopics(
                TopicCollection.ofTopicNames(missing), new DescribeTopicsOptions().timeoutMs(callTimeout(deadline))).topicNameValues();
        for (String topic : missing) {
            try {
                int n = await(futures.get(topic), deadline).partitions().size();
                counts.put(topic, n);
                partitionCounts.put(topic, n);
            } catch (ReadFailure f) {
                failures.put(topic, f.getMessage());
            }
        }
        return counts;
    }

    private Map<TopicPartition, Long> listOffsets(Set<TopicPartition> tps, OffsetSpec spec,
                                                  Map<TopicPartition, String> failures, Read deadline) {
        if (tps.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        tps.forEach(tp -> request.put(tp, spec));
        ListOffsetsResult result = admin.listOffsets(request, new ListOffsetsOptions().timeoutMs(callTimeout(deadline)));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition tp : tps) {
            try {
                offsets.put(tp, await(result.partitionResult(tp), deadline).offset());
            } catch (ReadFailure f) {
                failures.put(tp, f.getMessage());
            }
        }
        return offsets;
    }

    private <T> T await(KafkaFuture<T> future, Read r) throws ReadFailure {
        if (future == null) {
            throw new ReadFailure("no result from the broker");
        }
        try {
            T value = future.get(Math.max(0, r.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            r.answered = true;
            return value;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (isSilence(c)) {
                r.silence = r.silence == null ? c : r.silence;
                r.timedOut |= c instanceof org.apache.kafka.common.errors.TimeoutException;
            } else {
                r.answered = true; // the broker answered, with an error about this topic, group or partition
            }
            throw new ReadFailure(describe(c));
        } catch (TimeoutException e) {
            r.timedOut = true;
            if (r.silence == null) {
                r.silence = new TimeoutException("no answer within " + Duration.ofMillis(timeoutMs));
            }
            throw new ReadFailure("no answer within " + Duration.ofMillis(timeoutMs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadFailure("interrupted");
        }
    }

    /** Failures that mean no broker talked to us, as opposed to an answer about one topic or group. */
    private static boolean isSilence(Throwable c) {
        return c instanceof org.apache.kafka.common.errors.TimeoutException
                || c instanceof org.apache.kafka.common.errors.DisconnectException
                || c instanceof org.apache.kafka.common.errors.NetworkException
                || c instanceof org.apache.kafka.common.errors.AuthenticationException
                || c instanceof org.apache.kafka.common.errors.SslAuthenticationException;
    }

    static String describe(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg == null || msg.isBlank() ? "" : ": " + msg);
    }

    @Override
    public void close() {
        if (ownsAdmin) {
            admin.close(Duration.ofMillis(timeoutMs));
        }
    }

    /** A failed future, with a message fit for a job's failure reason. */
    private static final class ReadFailure extends Exception {
        ReadFailure(String message) {
            super(message, null, false, false);
        }
    }
}

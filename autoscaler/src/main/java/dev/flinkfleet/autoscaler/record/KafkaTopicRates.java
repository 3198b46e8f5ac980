package dev.flinkfleet.autoscaler.record;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import dev.flinkfleet.autoscaler.config.Secrets;

/**
 * The produce rate of Kafka partitions over time, read from the broker's time index alone: the first offset
 * at or after time {@code t} of each partition ({@code listOffsets} with {@link OffsetSpec#forTimestamp}) counts
 * the records written before {@code t}, so the events of a step are
 * {@code Σ partitions offset(t + step) − offset(t)}, exactly (for records whose CreateTime grows with their
 * offset, as one producer's do; transaction markers count as records). One {@code listOffsets} call per step
 * boundary covers every partition; a few are in flight at once.
 */
public final class KafkaTopicRates {

    /** Step boundaries asked for at once: the broker answers each from its index in well under a millisecond. */
    static final int IN_FLIGHT = 16;

    /**
     * What the broker holds of the partitions, read once before recording.
     *
     * @param earliest      log-start offset of each partition
     * @param latest        log-end offset of each partition when the recording began (later records are left out)
     * @param firstRecord   timestamp of each non-empty partition's first record
     * @param retainedFrom  when the retention of some partition has deleted records: the latest first-record
     *                      timestamp among such partitions (before it, some records are gone), and which one
     */
    public record Holdings(Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> latest,
                           Map<TopicPartition, Instant> firstRecord, Optional<Instant> retainedFrom,
                           Optional<TopicPartition> retainedFromPartition) {

        /** The first record of any partition, or empty when every partition is empty. */
        public Optional<Instant> firstRecordOfAny() {
            return firstRecord.values().stream().min(Comparator.naturalOrder());
        }
    }

    private final Admin admin;
    private final String where;
    private final Duration timeout;
    private final Set<String> secrets;

    /**
     * @param admin   an Admin client on the cluster (the caller closes it)
     * @param where   the cluster as shown in errors, e.g. {@code Kafka at b1:9092}, credentials masked
     * @param timeout deadline of each Admin call
     * @param secrets credential values to mask in the broker's and client's messages
     */
    public KafkaTopicRates(Admin admin, String where, Duration timeout, Set<String> secrets) {
        this.admin = admin;
        this.where = where;
        this.timeout = timeout;
        this.secrets = Set.copyOf(secrets);
    }

    /** The topics a consumer group has committed offsets for, sorted. */
    public List<String> topicsOfGroup(String group) {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = await(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), "committed offsets of group '" + group + "'");
        } catch (RecordException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                throw new RecordException("unknown consumer group '" + group + "' on " + where);
            }
            throw e;
        }
        TreeSet<String> topics = new TreeSet<>();
        committed.keySet().forEach(tp -> topics.add(tp.topic()));
        if (topics.isEmpty()) {
            throw new RecordException("consumer group '" + group + "' has no committed offsets on " + where
                    + " (unknown group, or it never committed); name its topics with --topic instead");
        }
        return List.copyOf(topics);
    }

    /** Every partition of {@code topics}, in topic then partition order. */
    public List<TopicPartition> partitionsOf(Collection<String> topics) {
        List<TopicPartition> out = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Map<String, KafkaFuture<org.apache.kafka.clients.admin.TopicDescription>> byName =
                admin.describeTopics(topics).topicNameValues();
        for (String t : topics) {
            try {
                await(byName.get(t), "partitions of topic '" + t + "'").partitions()
                        .forEach(p -> out.add(new TopicPartition(t, p.partition())));
            } catch (RecordException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    unknown.add(t);
                } else {
                    throw e;
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new RecordException("unknown topic" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown) + " on " + where);
        }
        out.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        return out;
    }

    /**
     * Reads log start, log end and first-record time of every partition.
     *
     * @throws RecordException when a non-empty partition has no record with a timestamp (CreateTime −1)
     */
    public Holdings holdings(List<TopicPartition> partitions) {
        Map<TopicPartition, Long> earliest = offsets(partitions, tp -> OffsetSpec.earliest(), "log-start offsets");
        Map<TopicPartition, Long> latest = offsets(partitions, tp -> OffsetSpec.latest(), "log-end offsets");
        Map<TopicPartition, ListOffsetsResultInfo> first = listOffsets(partitions, tp -> OffsetSpec.forTimestamp(0), "first timestamps");
        Map<TopicPartition, Instant> firstRecord = new HashMap<>();
        Instant retainedFrom = null;
        TopicPartition retainedBy = null;
        for (TopicPartition tp : partitions) {
            long start = earliest.get(tp);
            long end = latest.get(tp);
            if (end <= start) {
                continue; // empty
            }
            ListOffsetsResultInfo f = first.get(tp);
            if (f.offset() < 0 || f.timestamp() < 0) {
                throw new RecordException("topic " + tp.topic() + " has records without timestamps (partition " + tp + ", offsets "
                        + start + ".." + (end - 1) + ", CreateTime -1: written by a pre-0.10 client or with no timestamp), so its"
                        + " rate over time cannot be read from its offsets");
            }
            Instant ts = Instant.ofEpochMilli(f.timestamp());
            firstRecord.put(tp, ts);
            if (start > 0 && (retainedFrom == null || ts.isAfter(retainedFrom))) {
                retainedFrom = ts;
                retainedBy = tp;
            }
        }
        return new Holdings(earliest, latest, firstRecord, Optional.ofNullable(retainedFrom), Optional.ofNullable(retainedBy));
    }

    /**
     * The grid to record: {@code from} defaults to the retention's start (the first whole step after the oldest
     * retained record where retention has deleted records, else the step holding the first record), {@code to}
     * to the last whole step before {@code now}.
     *
     * @throws RecordException when the range reaches before what retention kept, or after {@code now}
     */
    public StepGrid grid(String what, Holdings h, Optional<Instant> from, Optional<Instant> to, Duration step, Instant now) {
        long s = StepGrid.stepSeconds(step);
        Instant end = to.orElse(StepGrid.floor(now, s));
        if (end.isAfter(now)) {
            throw new RecordException("range ends at " + end + ", after now (" + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    + "); the rate of a step that has not ended is not known yet");
        }
        Instant start;
        if (from.isPresent()) {
            start = from.get();
            if (h.retainedFrom().isPresent() && start.isBefore(h.retainedFrom().get())) {
                Instant kept = h.retainedFrom().get();
                TopicPartition tp = h.retainedFromPartition().orElseThrow();
                throw new RecordException("range starts at " + start + " but the retention of " + what + " covers only from "
                        + kept + " (partition " + tp + " starts at offset " + h.earliest().get(tp)
                        + ", older records are deleted); use --from " + StepGrid.ceil(kept, s) + " or later, or leave --from out");
            }
        } else if (h.retainedFrom().isPresent()) {
            start = StepGrid.ceil(h.retainedFrom().get(), s);
        } else {
            start = StepGrid.floor(h.firstRecordOfAny().orElseThrow(() -> new RecordException(
                    what + " has no records, so its retention gives no range; give --from (and --to) to record zeros")), s);
        }
        return StepGrid.between(start, end, step);
    }

    /**
     * Writes one row per step of {@code grid}: the events of that step divided by its length.
     */
    public void record(List<TopicPartition> partitions, Holdings h, StepGrid grid, TraceFileWriter out, Progress progress) {
        Deque<KafkaFuture<Map<TopicPartition, ListOffsetsResultInfo>>> pending = new ArrayDeque<>();
        int next = 0;
        long previous = 0;
        for (int b = 0; b <= grid.rows(); b++) {
            while (next <= grid.rows() && pending.size() < IN_FLIGHT) {
                long ms = grid.boundary(next).toEpochMilli();
                pending.add(listOffsetsAsync(partitions, tp -> OffsetSpec.forTimestamp(ms)));
                next++;
            }
            Map<TopicPartition, ListOffsetsResultInfo> at = await(pending.poll(), "offsets at " + grid.boundary(b));
            long sum = 0;
            for (TopicPartition tp : partitions) {
                sum += offsetBefore(at.get(tp), h.latest().get(tp));
            }
            if (b > 0) {
                out.row(grid.boundary(b - 1), (double) (sum - previous) / grid.stepSeconds());
                progress.update(b);
            }
            previous = sum;
        }
    }

    /**
     * The number of records written before a boundary, as an offset: the first offset at or after it, or the
     * log end (as read before recording) when no record is that new.
     */
    static long offsetBefore(ListOffsetsResultInfo atOrAfter, long latest) {
        long o = atOrAfter == null ? -1 : atOrAfter.offset();
        return o < 0 ? latest : Math.min(o, latest);
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, Function<TopicPartition, OffsetSpec> spec, String what) {
        Map<TopicPartition, Long> out = new HashMap<>();
        listOffsets(partitions, spec, what).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private Map<TopicPartition, ListOffsetsResultInfo> listOffsets(List<TopicPartition> partitions,
                                                                    Function<TopicPartition, OffsetSpec> spec, String what) {
        return await(listOffsetsAsync(partitions, spec), what);
    }

    private KafkaFuture<Map<TopicPartition, ListOffsetsResultInfo>> listOffsetsAsync(List<TopicPartition> partitions,
                                                                                    Function<TopicPartition, OffsetSpec> spec) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec.apply(tp)));
        return admin.listOffsets(request, new ListOffsetsOptions().timeoutMs((int) timeout.toMillis())).all();
    }

    private <T> T await(KafkaFuture<T> f, String what) {
        try {
            return f.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecordException("interrupted while reading " + what + " from " + where, e);
        } catch (TimeoutException e) {
            throw unreachable(what, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(what, c);
            }
            throw new RecordException(Secrets.maskSecrets("cannot read " + what + " from " + where + ": "
                    + c.getClass().getSimpleName() + ": " + c.getMessage(), secrets), c);
        }
    }

    private RecordException unreachable(String what, Throwable cause) {
        return new RecordException(Secrets.maskSecrets(where + " did not answer within " + timeout.toSeconds() + " s (reading "
                + what + "): " + cause.getClass().getSimpleName() + ": " + cause.getMessage(), secrets), cause);
    }
}

package dev.flinkfleet.policies.signals;

import java.util.Objects;

/**
 * Lag of one partition for one consumer group.
 *
 * @param topic     topic name
 * @param partition partition number
 * @param logEnd    the partition's log-end offset (next offset to be written)
 * @param position  the offset lag is counted from: the committed offset, or the log-start offset when the
 *                  group has not committed this partition (see {@link Basis#LOG_START}); clamped to {@code logEnd}
 * @param lag       {@code logEnd - position}, never negative
 * @param basis     where {@code position} came from
 */
public record PartitionLag(String topic, int partition, long logEnd, long position, long lag, Basis basis) {

    /** Where the position of a partition came from. */
    public enum Basis {
        /** The group's committed offset. */
        COMMITTED,
        /**
         * No committed offset for this partition although the group committed others: typically a partition the
         * job discovered after its last checkpoint. Flink's KafkaSource starts newly discovered partitions from
         * the earliest offset, so lag is counted from the log-start offset.
         */
        LOG_START,
        /**
         * The committed offset was beyond the log end (topic truncated or recreated, or a bad manual reset).
         * Lag is 0 and the value is flagged so it can be logged rather than trusted.
         */
        COMMITTED_AHEAD_OF_END
    }

    public PartitionLag {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(basis, "basis");
        if (partition < 0 || logEnd < 0 || position < 0 || position > logEnd || lag != logEnd - position) {
            throw new IllegalArgumentException("inconsistent partition lag " + topic + "-" + partition
                    + ": end " + logEnd + " position " + position + " lag " + lag);
        }
    }

    public String partitionName() {
        return topic + "-" + partition;
    }
}

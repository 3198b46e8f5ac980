package dev.flinkfleet.autoscaler.kafka;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

import dev.flinkfleet.policies.JobRef;

/**
 * One job's Kafka backlog as read in one cycle.
 *
 * @param job            the job
 * @param readAt         when the offsets were read (after the log-end offsets arrived)
 * @param status         whether lag is known
 * @param failure        why the read failed ({@link Status#FAILED} only), else empty
 * @param partitions     per-partition lag ({@link Status#OK} only), else empty
 * @param partitionCount partitions of the job's topics: the most parallelism that can do useful work; 0 when failed
 * @param logEndSum      sum of log-end offsets; empty when failed
 * @param positionSum    sum of the positions lag is counted from (committed offsets, log start for partitions
 *                       without a commit); empty unless OK
 * @param totalLag       {@code logEndSum - positionSum}; empty unless OK
 */
public record BacklogSnapshot(
        JobRef job,
        Instant readAt,
        Status status,
        String failure,
        List<PartitionLag> partitions,
        int partitionCount,
        OptionalLong logEndSum,
        OptionalLong positionSum,
        OptionalLong totalLag) {

    public enum Status {
        /** Lag is known. */
        OK,
        /**
         * The group has committed no offset for any of the job's partitions: Flink commits only on checkpoints, so
         * a new job has none yet. Lag is unknown (not zero); log-end offsets are still known.
         */
        NO_COMMITS,
        /** A group or topic could not be read; see {@code failure}. */
        FAILED
    }

    public BacklogSnapshot {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(readAt, "readAt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(failure, "failure");
        partitions = List.copyOf(partitions);
        boolean ok = status == Status.OK;
        if (ok != totalLag.isPresent() || ok != positionSum.isPresent()
                || (status == Status.FAILED) == logEndSum.isPresent() || (status == Status.FAILED) == failure.isEmpty()) {
            throw new IllegalArgumentException(job + ": inconsistent " + status + " snapshot");
        }
    }

    static BacklogSnapshot ok(JobRef job, Instant readAt, List<PartitionLag> partitions) {
        LagMath.Totals t = LagMath.totals(partitions);
        return new BacklogSnapshot(job, readAt, Status.OK, "", partitions, t.partitions(),
                OptionalLong.of(t.logEndSum()), OptionalLong.of(t.positionSum()), OptionalLong.of(t.totalLag()));
    }

    static BacklogSnapshot noCommits(JobRef job, Instant readAt, int partitionCount, long logEndSum) {
        return new BacklogSnapshot(job, readAt, Status.NO_COMMITS, "", List.of(), partitionCount,
                OptionalLong.of(logEndSum), OptionalLong.empty(), OptionalLong.empty());
    }

    static BacklogSnapshot failed(JobRef job, Instant readAt, String reason) {
        return new BacklogSnapshot(job, readAt, Status.FAILED, reason, List.of(), 0,
                OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
    }

    /** Partitions whose committed offset was beyond the log end (lag clamped to 0). */
    public List<PartitionLag> flagged() {
        return partitions.stream().filter(p -> p.basis() == PartitionLag.Basis.COMMITTED_AHEAD_OF_END).toList();
    }

    @Override
    public String toString() {
        return switch (status) {
            case OK -> job + ": lag " + totalLag.getAsLong() + " over " + partitionCount + " partitions";
            case NO_COMMITS -> job + ": no committed offsets yet (" + partitionCount + " partitions)";
            case FAILED -> job + ": failed: " + failure;
        };
    }
}

package dev.flinkfleet.policies.signals;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

import dev.flinkfleet.policies.JobRef;

/**
 * One job's Kafka offsets as read in one cycle: the raw observation the offset-derived signals
 * ({@link BacklogSignals}) come from. The daemon's reader fills it from the Admin API, the simulator from its job
 * model (committed offsets move only on checkpoints in both).
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
public record OffsetObservation(
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

    public OffsetObservation {
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

    public static OffsetObservation ok(JobRef job, Instant readAt, List<PartitionLag> partitions) {
        LagMath.Totals t = LagMath.totals(partitions);
        return new OffsetObservation(job, readAt, Status.OK, "", partitions, t.partitions(),
                OptionalLong.of(t.logEndSum()), OptionalLong.of(t.positionSum()), OptionalLong.of(t.totalLag()));
    }

    public static OffsetObservation noCommits(JobRef job, Instant readAt, int partitionCount, long logEndSum) {
        return new OffsetObservation(job, readAt, Status.NO_COMMITS, "", List.of(), partitionCount,
                OptionalLong.of(logEndSum), OptionalLong.empty(), OptionalLong.empty());
    }

    public static OffsetObservation failed(JobRef job, Instant readAt, String reason) {
        return new OffsetObservation(job, readAt, Status.FAILED, reason, List.of(), 0,
                OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
    }

    /**
     * A read known only as sums over {@code partitionCount} partitions (no per-partition detail), as the
     * simulator's job model exposes it; {@code positionSum} must not exceed {@code logEndSum}.
     */
    public static OffsetObservation ofTotals(JobRef job, Instant readAt, int partitionCount, long logEndSum, long positionSum) {
        return new OffsetObservation(job, readAt, Status.OK, "", List.of(), partitionCount,
                OptionalLong.of(logEndSum), OptionalLong.of(positionSum), OptionalLong.of(logEndSum - positionSum));
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

package dev.flinkfleet.policies.signals;

import java.util.Collection;

/**
 * Lag arithmetic on raw offsets, free of I/O so it can be tested without a broker. Offsets that cannot be
 * right (negative, committed beyond the log end) never produce a negative lag; they are clamped and flagged.
 */
public final class LagMath {

    private LagMath() {
    }

    /**
     * Lag of one partition.
     *
     * @param committed the group's committed offset, or {@code null} when it has none for this partition
     * @param logStart  the partition's log-start offset; only read when {@code committed} is {@code null}
     */
    public static PartitionLag partition(String topic, int partition, long logEnd, Long committed, long logStart) {
        if (logEnd < 0) {
            throw new IllegalArgumentException(topic + "-" + partition + ": negative log-end offset " + logEnd);
        }
        if (committed == null) {
            // Log start can only be past log end transiently (records deleted while reading); clamp.
            long position = Math.min(Math.max(0, logStart), logEnd);
            return new PartitionLag(topic, partition, logEnd, position, logEnd - position, PartitionLag.Basis.LOG_START);
        }
        if (committed > logEnd) {
            return new PartitionLag(topic, partition, logEnd, logEnd, 0, PartitionLag.Basis.COMMITTED_AHEAD_OF_END);
        }
        // A negative committed offset means "none" on the wire; treat it as position 0 rather than negative lag.
        long position = Math.max(0, committed);
        return new PartitionLag(topic, partition, logEnd, position, logEnd - position, PartitionLag.Basis.COMMITTED);
    }

    /** Sums of a job's partitions. {@code totalLag == logEndSum - positionSum} always holds. */
    public record Totals(long totalLag, long logEndSum, long positionSum, int partitions, int flagged) {
    }

    public static Totals totals(Collection<PartitionLag> lags) {
        long lag = 0;
        long end = 0;
        long position = 0;
        int flagged = 0;
        for (PartitionLag p : lags) {
            lag = Math.addExact(lag, p.lag());
            end = Math.addExact(end, p.logEnd());
            position = Math.addExact(position, p.position());
            if (p.basis() == PartitionLag.Basis.COMMITTED_AHEAD_OF_END) {
                flagged++;
            }
        }
        return new Totals(lag, end, position, lags.size(), flagged);
    }

    /** Records per second between two counter readings; NaN when the interval is not positive. */
    public static double ratePerSecond(long fromValue, long fromMillis, long toValue, long toMillis) {
        long dt = toMillis - fromMillis;
        if (dt <= 0) {
            return Double.NaN;
        }
        return (toValue - fromValue) * 1000.0 / dt;
    }
}

package dev.flinkfleet.policies.signals;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * A bounded ring of one job's backlog samples (time, log-end sum, position sum; lag = end - position) and the
 * rates derived from it. Not thread-safe: one control loop owns it.
 *
 * <p><b>Why the commit points matter.</b> Flink commits Kafka offsets only when a checkpoint completes. Between
 * checkpoints the committed offset sits on a plateau while the log end keeps moving, so the observed lag rises
 * in a sawtooth even when the job keeps up, then drops at the next commit. Differencing consecutive lag samples
 * would read every plateau as growth and every commit as a drain. So:
 * <ul>
 *   <li><b>Input rate</b> comes from the log-end sum alone, which is exact at every sample: the change over the
 *       newest span of at least {@code rateWindow}. Its age is the age of the newest sample.</li>
 *   <li><b>Growth and committed rate</b> are measured only between <em>commit points</em>: samples at which the
 *       committed position had just moved. At a commit point the lag is close to the true backlog (off by the
 *       records that arrived between the commit and our read). Growth is the lag difference between the newest
 *       commit point and the newest earlier commit point at least {@code growthWindow} before it. The window
 *       must be at least one checkpoint interval so that two commits fit in it.</li>
 *   <li><b>A plateau is never "no growth" and never fresh.</b> If the position has not moved for a whole
 *       {@code growthWindow}, the evidence is that the job committed nothing for longer than a checkpoint
 *       interval: growth is then the lag change over the plateau (that is, the full input rate), and committed
 *       rate is 0. Shorter plateaus yield no new value: the last commit-point estimate stands.</li>
 *   <li><b>Ages.</b> Every value derived from committed offsets (backlog, growth, committed rate) is as old as
 *       the newest commit point: the observed lag is exact only as of the last commit and an upper bound after
 *       it. The one exception is a lag of 0 at the newest sample, which is exact now. When the position has not
 *       moved since the history began, the first sample stands in for the unknown commit time (a lower bound on
 *       the age; growth then stays missing until a full window has passed, so this never enables a scale-down).</li>
 *   <li><b>Resets.</b> A sample whose log-end or position sum went backwards (topic recreated, offsets reset,
 *       job restored from an older savepoint), or whose partition count changed (a newly seen partition brings
 *       its whole log into the sum at once), clears the history: rates are missing until a window refills.</li>
 * </ul>
 */
public final class BacklogHistory {

    private static final long NONE = Long.MIN_VALUE;

    private final long[] atMillis;
    private final long[] end;
    private final long[] position;
    private int oldest;
    private int size;
    private int partitionCount = -1;
    private int resets;

    /** What {@link #add} did with a sample. */
    public enum Append {
        APPENDED,
        /** The sample was not newer than the last one and was dropped. */
        IGNORED_OUT_OF_ORDER,
        /** A counter went backwards or the partition count changed: history cleared, sample kept. */
        RESET
    }

    /**
     * One derived value and the epoch millisecond it is valid as of; missing when {@code asOfMillis} is
     * {@link #NO_TIME}. Kept as a long so the estimate of every cycle allocates no Instant.
     */
    public record Estimate(double value, long asOfMillis) {
        public static final long NO_TIME = Long.MIN_VALUE;
        static final Estimate MISSING = new Estimate(Double.NaN, NO_TIME);

        public boolean isMissing() {
            return asOfMillis == NO_TIME || !Double.isFinite(value);
        }

        /** The time the value is valid as of; null when missing. */
        public Instant asOf() {
            return asOfMillis == NO_TIME ? null : Instant.ofEpochMilli(asOfMillis);
        }
    }

    /** Everything derived from the history at once. */
    public record Estimates(Estimate backlog, Estimate growth, Estimate inputRate, Estimate committedRate) {
    }

    public BacklogHistory(int capacity) {
        if (capacity < 3) {
            throw new IllegalArgumentException("history needs at least 3 samples, got " + capacity);
        }
        atMillis = new long[capacity];
        end = new long[capacity];
        position = new long[capacity];
    }

    /**
     * Adds a sample.
     *
     * @param positionSum empty when lag is unknown (the group has no commits)
     */
    public Append add(Instant at, int partitions, long logEndSum, OptionalLong positionSum) {
        long t = at.toEpochMilli();
        long pos = positionSum.isPresent() ? positionSum.getAsLong() : NONE;
        Append result = Append.APPENDED;
        if (size > 0) {
            int last = index(size - 1);
            if (t <= atMillis[last]) {
                return Append.IGNORED_OUT_OF_ORDER;
            }
            boolean positionBack = pos != NONE && position[last] != NONE && pos < position[last];
            if (partitions != partitionCount || logEndSum < end[last] || positionBack) {
                size = 0;
                oldest = 0;
                resets++;
                result = Append.RESET;
            }
        }
        partitionCount = partitions;
        if (size == atMillis.length) {
            oldest = (oldest + 1) % atMillis.length;
            size--;
        }
        int i = index(size);
        atMillis[i] = t;
        end[i] = logEndSum;
        position[i] = pos;
        size++;
        return result;
    }

    public int size() {
        return size;
    }

    /** How often the history was cleared because a counter went backwards or partitions changed. */
    public int resets() {
        return resets;
    }

    /** Derives backlog, growth, input rate and committed rate; see the class comment for the rules. */
    public Estimates estimate(Duration rateWindow, Duration growthWindow) {
        if (size == 0) {
            return new Estimates(Estimate.MISSING, Estimate.MISSING, Estimate.MISSING, Estimate.MISSING);
        }
        int last = size - 1;
        Estimate input = inputRate(last, rateWindow.toMillis());
        if (pos(last) == NONE) {
            return new Estimates(Estimate.MISSING, Estimate.MISSING, input, Estimate.MISSING);
        }
        // The run of samples with a known position that ends at the newest one.
        int start = last;
        while (start > 0 && pos(start - 1) != NONE) {
            start--;
        }
        int p2 = start;
        for (int j = last; j > start; j--) {
            if (pos(j) != pos(j - 1)) {
                p2 = j;
                break;
            }
        }
        long lagNow = lag(last);
        long exactNow = at(last);
        long asOfCommit = lagNow == 0 ? exactNow : at(p2);
        Estimate backlog = new Estimate(lagNow, asOfCommit);

        long window = growthWindow.toMillis();
        if (at(last) - at(p2) >= window) {
            // Committed position frozen for a whole window: the job committed nothing for over a checkpoint interval.
            double growth = LagMath.ratePerSecond(lag(p2), at(p2), lagNow, at(last));
            return new Estimates(backlog, new Estimate(growth, asOfCommit), input, new Estimate(0, asOfCommit));
        }
        for (int j = p2 - 1; j > start; j--) {
            boolean commitPoint = pos(j) != pos(j - 1);
            if (commitPoint && at(p2) - at(j) >= window) {
                long asOf = at(p2);
                double growth = LagMath.ratePerSecond(lag(j), at(j), lag(p2), at(p2));
                double committed = LagMath.ratePerSecond(pos(j), at(j), pos(p2), at(p2));
                return new Estimates(backlog, new Estimate(growth, asOf), input, new Estimate(committed, asOf));
            }
        }
        return new Estimates(backlog, Estimate.MISSING, input, Estimate.MISSING);
    }

    private Estimate inputRate(int last, long windowMillis) {
        for (int i = last - 1; i >= 0; i--) {
            if (at(last) - at(i) >= windowMillis) {
                return new Estimate(LagMath.ratePerSecond(end(i), at(i), end(last), at(last)), at(last));
            }
        }
        return Estimate.MISSING;
    }

    private int index(int i) {
        // oldest and i are both below the capacity: one wrap at most, without a division.
        int j = oldest + i;
        return j >= atMillis.length ? j - atMillis.length : j;
    }

    private long at(int i) {
        return atMillis[index(i)];
    }

    private long end(int i) {
        return end[index(i)];
    }

    private long pos(int i) {
        return position[index(i)];
    }

    private long lag(int i) {
        return end(i) - pos(i);
    }
}

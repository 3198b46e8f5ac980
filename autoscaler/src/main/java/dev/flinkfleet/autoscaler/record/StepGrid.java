package dev.flinkfleet.autoscaler.record;

import java.time.Duration;
import java.time.Instant;

/**
 * The rows of a trace to record: {@code rows} steps of {@code stepSeconds} from {@code start}. Row {@code i}
 * covers {@code [boundary(i), boundary(i + 1))}, so a grid has {@code rows + 1} boundaries and ends at
 * {@code boundary(rows)}.
 */
public record StepGrid(Instant start, long stepSeconds, int rows) {

    /** Fewest rows a trace can have (the simulator's reader needs two to know the step). */
    public static final int MIN_ROWS = 2;

    public StepGrid {
        if (start.getNano() != 0) {
            throw new IllegalArgumentException("start must be whole seconds, got " + start);
        }
        if (stepSeconds < 1) {
            throw new IllegalArgumentException("step must be at least 1 s, got " + stepSeconds + " s");
        }
        if (rows < MIN_ROWS) {
            throw new IllegalArgumentException("need at least " + MIN_ROWS + " rows, got " + rows);
        }
    }

    /**
     * The grid of whole steps in {@code [from, to)}: {@code from} is used as given, a partial last step is
     * left out.
     *
     * @throws RecordException when the range holds fewer than {@link #MIN_ROWS} steps
     */
    public static StepGrid between(Instant from, Instant to, Duration step) {
        long s = stepSeconds(step);
        if (from.getNano() != 0 || to.getNano() != 0) {
            throw new RecordException("range " + from + " .. " + to + " must be whole seconds (a trace's timestamps are)");
        }
        long rows = to.isAfter(from) ? (to.getEpochSecond() - from.getEpochSecond()) / s : 0;
        if (rows < MIN_ROWS) {
            throw new RecordException("range " + from + " .. " + to + " holds " + rows + " whole step(s) of " + s
                    + " s; a trace needs at least " + MIN_ROWS);
        }
        if (rows > Integer.MAX_VALUE) {
            throw new RecordException("range " + from + " .. " + to + " holds " + rows + " steps of " + s + " s; use a longer step");
        }
        return new StepGrid(from, s, (int) rows);
    }

    /** {@code step} in whole seconds (at least 1). */
    public static long stepSeconds(Duration step) {
        if (step.isNegative() || step.isZero() || step.toNanos() % 1_000_000_000L != 0) {
            throw new RecordException("step must be a whole number of seconds > 0 (a trace's timestamps are whole seconds), got " + step);
        }
        return step.getSeconds();
    }

    /** The latest multiple of {@code step} since the epoch at or before {@code t}. */
    public static Instant floor(Instant t, long stepSeconds) {
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), stepSeconds) * stepSeconds);
    }

    /** The earliest multiple of {@code step} since the epoch at or after {@code t}. */
    public static Instant ceil(Instant t, long stepSeconds) {
        Instant f = floor(t, stepSeconds);
        return f.equals(t) ? f : f.plusSeconds(stepSeconds);
    }

    /** Start of row {@code i}; {@code boundary(rows)} is the end of the grid. */
    public Instant boundary(int i) {
        return start.plusSeconds(i * stepSeconds);
    }

    public Instant end() {
        return boundary(rows);
    }

    public Duration step() {
        return Duration.ofSeconds(stepSeconds);
    }
}

package dev.flinkfleet.autoscaler.record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the evaluation times of a range query into requests of at most {@code maxPoints} points each:
 * Prometheus refuses a {@code query_range} with {@code (end - start) / step > 11000} ("exceeded maximum resolution
 * of 11,000 points per timeseries"), so 11,000 points per request stay one under its limit.
 */
public final class RangeChunks {

    /** Prometheus's limit per series of one query_range answer. */
    public static final int PROMETHEUS_MAX_POINTS = 11_000;

    /** One request: {@code points} evaluation times from {@code first} to {@code last}, a step apart. */
    public record Chunk(Instant first, Instant last, int points) {
    }

    private RangeChunks() {
    }

    /** {@code points} evaluation times from {@code first}, {@code stepSeconds} apart, in chunks of at most {@code maxPoints}. */
    public static List<Chunk> split(Instant first, int points, long stepSeconds, int maxPoints) {
        if (maxPoints < 1 || points < 0 || stepSeconds < 1) {
            throw new IllegalArgumentException("need maxPoints >= 1, points >= 0, step >= 1 s; got " + maxPoints + ", " + points + ", " + stepSeconds);
        }
        List<Chunk> out = new ArrayList<>();
        for (int done = 0; done < points; ) {
            int n = Math.min(maxPoints, points - done);
            Instant a = first.plusSeconds(done * stepSeconds);
            out.add(new Chunk(a, a.plusSeconds((n - 1) * stepSeconds), n));
            done += n;
        }
        return out;
    }
}

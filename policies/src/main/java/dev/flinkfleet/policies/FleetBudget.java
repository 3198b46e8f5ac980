package dev.flinkfleet.policies;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The fleet's rescale budget: at most {@code limit} rescales in any {@code period} (a sliding window over the
 * times of the last {@code limit} rescales), on the injected clock, so the daemon and a replay on simulated time
 * hold the same jobs. Only rescales that happened are {@linkplain #spend() spent}. Not thread-safe: the loop
 * actuates on one thread.
 */
public final class FleetBudget {

    private final int limit;
    private final Duration period;
    private final Clock clock;
    /** Times of the last {@code limit} rescales, a ring: {@code next} is the oldest once full. */
    private final Instant[] spent;
    private int next;

    /** @throws IllegalArgumentException when {@code limit < 1} or {@code period} is not positive */
    public FleetBudget(int limit, Duration period, Clock clock) {
        if (limit < 1) {
            throw new IllegalArgumentException("fleet rescale budget must be >= 1 per period, got " + limit);
        }
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("fleet rescale budget period must be > 0, got " + period);
        }
        this.limit = limit;
        this.period = period;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.spent = new Instant[limit];
    }

    /** Rescales still allowed now. */
    public int remaining() {
        Instant windowStart = clock.instant().minus(period);
        int used = 0;
        for (Instant t : spent) {
            if (t != null && t.isAfter(windowStart)) {
                used++;
            }
        }
        return limit - used;
    }

    /** True when one more rescale fits in the window ending now. */
    public boolean available() {
        Instant oldest = spent[next];
        return oldest == null || !oldest.isAfter(clock.instant().minus(period));
    }

    /** Records a rescale made now. */
    public void spend() {
        spent[next] = clock.instant();
        next = (next + 1) % limit;
    }

    public int limit() {
        return limit;
    }

    public Duration period() {
        return period;
    }

    @Override
    public String toString() {
        return limit + " per " + period;
    }
}

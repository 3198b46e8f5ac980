package dev.flinkfleet.autoscaler.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Liveness and readiness of the daemon, computed when asked from an injected clock and two suppliers the daemon
 * wires (informer sync, leader election). Nothing here blocks or does I/O, so a probe never hangs on a slow
 * backend.
 *
 * <p>Liveness: the leader's loop finished a cycle within {@code staleAfterIntervals × interval}. A standby (or a
 * replica that does not know yet) runs no cycles, so it is live by definition; restarting it would not help.
 * The window starts at construction, which gives the first cycle the same grace. The daemon should also call
 * {@link #markCycle} when it becomes leader, so the window starts then and not at the last cycle it ran long ago.
 *
 * <p>Readiness: informers have synced and leadership is known (leader or standby).
 */
public final class Health {

    /** A probe's verdict and a one-line reason for humans and logs. */
    public record Status(boolean ok, String detail) {
    }

    private final Clock clock;
    private final Duration interval;
    private final double staleAfterIntervals;
    private final BooleanSupplier informersSynced;
    private final Supplier<LeadershipState> leadership;
    private final AtomicReference<Instant> lastCycle;

    /**
     * @param clock               time source
     * @param interval            the control loop's interval
     * @param staleAfterIntervals how many intervals without a finished cycle make the daemon not live (&gt;= 1)
     * @param informersSynced     true once every informer has synced its cache
     * @param leadership          the current leader-election state
     */
    public Health(Clock clock, Duration interval, double staleAfterIntervals,
                  BooleanSupplier informersSynced, Supplier<LeadershipState> leadership) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("loop interval must be positive, got " + interval);
        }
        if (!(staleAfterIntervals >= 1) || Double.isInfinite(staleAfterIntervals)) {
            throw new IllegalArgumentException("stale-after multiple must be a finite number >= 1, got " + staleAfterIntervals);
        }
        this.staleAfterIntervals = staleAfterIntervals;
        this.informersSynced = Objects.requireNonNull(informersSynced, "informersSynced");
        this.leadership = Objects.requireNonNull(leadership, "leadership");
        this.lastCycle = new AtomicReference<>(clock.instant());
    }

    /** Records that a cycle finished (or that leadership was just acquired) at {@code at}. */
    public void markCycle(Instant at) {
        Objects.requireNonNull(at, "at");
        // Never move backwards: a late call with an older time must not hide a newer cycle.
        lastCycle.accumulateAndGet(at, (prev, next) -> next.isAfter(prev) ? next : prev);
    }

    /** When the last cycle finished (or when this object was made, before the first one). */
    public Instant lastCycle() {
        return lastCycle.get();
    }

    /** The longest gap between cycles that still counts as live. */
    public Duration staleAfter() {
        return Duration.ofNanos((long) (interval.toNanos() * staleAfterIntervals));
    }

    public Status liveness() {
        LeadershipState state = leadershipOrUnknown();
        if (state != LeadershipState.LEADER) {
            return new Status(true, "ok: " + name(state) + ", loop idle");
        }
        Instant last = lastCycle.get();
        Duration since = Duration.between(last, clock.instant());
        Duration limit = staleAfter();
        if (since.compareTo(limit) > 0) {
            return new Status(false, "no control cycle finished for " + seconds(since) + " s (limit " + seconds(limit)
                    + " s = " + staleAfterIntervals + " x interval " + seconds(interval) + " s); last at " + last);
        }
        return new Status(true, "ok: leader, last cycle " + seconds(since) + " s ago");
    }

    public Status readiness() {
        List<String> missing = new ArrayList<>(2);
        boolean synced;
        try {
            synced = informersSynced.getAsBoolean();
        } catch (RuntimeException e) {
            synced = false;
        }
        if (!synced) {
            missing.add("informers not synced");
        }
        LeadershipState state = leadershipOrUnknown();
        if (state == LeadershipState.UNKNOWN) {
            missing.add("leadership unknown");
        }
        if (!missing.isEmpty()) {
            return new Status(false, "not ready: " + String.join(", ", missing));
        }
        return new Status(true, "ready: " + name(state));
    }

    private LeadershipState leadershipOrUnknown() {
        try {
            LeadershipState s = leadership.get();
            return s == null ? LeadershipState.UNKNOWN : s;
        } catch (RuntimeException e) {
            // A probe must answer; a broken supplier reads as "not known".
            return LeadershipState.UNKNOWN;
        }
    }

    private static String name(LeadershipState s) {
        return s.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String seconds(Duration d) {
        double s = d.toMillis() / 1000.0;
        return s == Math.rint(s) ? Long.toString((long) s) : String.format(java.util.Locale.ROOT, "%.1f", s);
    }
}

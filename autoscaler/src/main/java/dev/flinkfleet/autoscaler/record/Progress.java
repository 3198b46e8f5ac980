package dev.flinkfleet.autoscaler.record;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * Progress of a recording on stderr: at most one line a second ({@code recorded 1200/10080 steps (12 %) in 3.1 s}),
 * and a last line when done. Takes the time from a nanosecond source so tests can drive it.
 */
public final class Progress {

    private static final long EVERY_NANOS = 1_000_000_000L;

    private final PrintWriter err;
    private final LongSupplier nanos;
    private final long total;
    private final long started;
    private long lastPrinted;

    public Progress(PrintWriter err, LongSupplier nanos, long total) {
        this.err = err;
        this.nanos = nanos;
        this.total = total;
        this.started = nanos.getAsLong();
        this.lastPrinted = started;
    }

    /** Reports {@code done} steps of the total when a second has passed since the last line. */
    public void update(long done) {
        long now = nanos.getAsLong();
        if (now - lastPrinted >= EVERY_NANOS) {
            lastPrinted = now;
            err.println(line(done, now));
            err.flush();
        }
    }

    public void done(long done) {
        err.println(line(done, nanos.getAsLong()));
        err.flush();
    }

    private String line(long done, long now) {
        return String.format(java.util.Locale.ROOT, "recorded %d/%d steps (%d %%) in %.1f s",
                done, total, total == 0 ? 100 : done * 100 / total, (now - started) / 1e9);
    }

    /** Seconds since the start. */
    public double elapsedSeconds() {
        return (nanos.getAsLong() - started) / 1e9;
    }
}

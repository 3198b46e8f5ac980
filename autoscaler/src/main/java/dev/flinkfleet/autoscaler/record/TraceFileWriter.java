package dev.flinkfleet.autoscaler.record;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;

/**
 * Streams a trace in the simulator's format: {@code #} provenance lines, the header
 * {@code timestamp,events_per_second}, then one row per step. Rows go to a temporary file next to the target,
 * which {@link #commit()} moves into place, so a recording that fails half-way leaves no half trace behind.
 */
public final class TraceFileWriter implements AutoCloseable {

    static final String HEADER = "timestamp,events_per_second";

    private final Path target;
    private final Path temp;
    private final BufferedWriter out;
    private Instant last;
    private long rows;
    private boolean committed;

    /** Opens the temporary file and writes {@code provenance} (one {@code # } line each) and the header. */
    public TraceFileWriter(Path target, List<String> provenance) {
        this.target = target.toAbsolutePath();
        try {
            Path dir = this.target.getParent();
            Files.createDirectories(dir);
            this.temp = Files.createTempFile(dir, "." + this.target.getFileName(), ".part");
            this.out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
            for (String p : provenance) {
                if (p.contains("\n") || p.contains("\r")) {
                    throw new IllegalArgumentException("provenance line has a line break: " + p);
                }
                out.write("# " + p + "\n");
            }
            out.write(HEADER + "\n");
        } catch (IOException e) {
            throw new RecordException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Appends a row; rows must come in time order. */
    public void row(Instant at, double eventsPerSecond) {
        if (last != null && !at.isAfter(last)) {
            throw new IllegalStateException("rows out of order: " + at + " after " + last);
        }
        if (!Double.isFinite(eventsPerSecond) || eventsPerSecond < 0) {
            throw new IllegalArgumentException("rate must be finite and >= 0, got " + eventsPerSecond + " at " + at);
        }
        try {
            out.write(at.toString());
            out.write(',');
            out.write(format(eventsPerSecond));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
        last = at;
        rows++;
    }

    public long rows() {
        return rows;
    }

    /** A plain decimal the trace reader accepts (no exponent, no trailing zeros): 12, 0.5, 1666.6666666666667. */
    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    /** Flushes and moves the trace into place (replacing an older file of that name). */
    public void commit() {
        try {
            out.close();
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
        } catch (IOException e) {
            throw new RecordException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Without a commit, drops the temporary file. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            out.close();
        } catch (IOException ignored) {
            // the file is deleted next
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // a leftover .part file is visible and harmless
        }
    }
}

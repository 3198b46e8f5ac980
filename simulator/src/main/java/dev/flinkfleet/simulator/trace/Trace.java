package dev.flinkfleet.simulator.trace;

import java.time.Instant;

/**
 * A recorded traffic trace: events per second at a fixed step, starting at {@code start}.
 *
 * @param name        the job name derived from the file name (without {@code .csv})
 * @param fileName    the file's name, used to pick per-file job-model overrides
 * @param start       timestamp of the first row
 * @param stepSeconds fixed distance between rows
 * @param rates       events per second of each row; the rate holds until the next row
 * @param source      where the trace came from (its path), for errors
 * @param headerLine  line of the {@code timestamp,events_per_second} header: 1, or later after {@code #} comment
 *                    lines (a recorded trace's provenance); row {@code i} is line {@code i + headerLine + 1}
 */
public record Trace(String name, String fileName, Instant start, int stepSeconds, double[] rates, String source, int headerLine) implements java.io.Serializable {

    /** A trace whose header is its first line. */
    public Trace(String name, String fileName, Instant start, int stepSeconds, double[] rates, String source) {
        this(name, fileName, start, stepSeconds, rates, source, 1);
    }

    /** A trace that was not read from a file (synthetic, tests): errors name the file name. */
    public Trace(String name, String fileName, Instant start, int stepSeconds, double[] rates) {
        this(name, fileName, start, stepSeconds, rates, fileName);
    }

    /** The {@code file:line} of row {@code row}. */
    public String lineOf(int row) {
        return source + ":" + (row + headerLine + 1L);
    }

    /** Index of the first row with the highest rate. */
    public int peakRow() {
        int at = 0;
        for (int i = 1; i < rates.length; i++) {
            if (rates[i] > rates[at]) {
                at = i;
            }
        }
        return at;
    }

    public int length() {
        return rates.length;
    }

    /** Seconds covered: every row holds for one step. */
    public long durationSeconds() {
        return (long) rates.length * stepSeconds;
    }

    public double peak() {
        double m = 0;
        for (double r : rates) {
            m = Math.max(m, r);
        }
        return m;
    }

    public double totalEvents() {
        double sum = 0;
        for (double r : rates) {
            sum += r;
        }
        return sum * stepSeconds;
    }
}

package dev.flinkfleet.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A recorded trace ({@code timestamp,events_per_second} CSV, as in the simulator's traces) replayed
 * time-compressed and rate-scaled: demo second k carries the mean rate of trace seconds
 * [k × speedup, (k+1) × speedup), scaled so the busiest demo second produces {@code peakRate}. A demo longer
 * than the trace wraps around. Between demo seconds the rate is interpolated linearly.
 */
public final class TraceSchedule implements RateSchedule {

    /** One trace row: seconds since the first row, rate. */
    record Point(double offsetSeconds, double rate) {
    }

    private final double[] perDemoSecond;

    private TraceSchedule(double[] perDemoSecond) {
        this.perDemoSecond = perDemoSecond;
    }

    /**
     * @param source    name for error messages (file or resource)
     * @param speedup   trace seconds per demo second, > 0
     * @param duration  demo length
     * @param peakRate  records/s at the busiest demo second, > 0
     */
    public static TraceSchedule load(String source, InputStream in, double speedup, Duration duration, double peakRate) throws IOException {
        if (!(speedup > 0) || Double.isInfinite(speedup)) {
            throw new IllegalArgumentException("speedup must be finite and > 0, got " + speedup);
        }
        if (!(peakRate > 0) || Double.isInfinite(peakRate)) {
            throw new IllegalArgumentException("peak rate must be finite and > 0, got " + peakRate);
        }
        return of(parse(source, in), speedup, Math.max(1, (int) Math.ceil(duration.toMillis() / 1000.0)), peakRate);
    }

    static TraceSchedule of(List<Point> points, double speedup, int demoSeconds, double peakRate) {
        double span = points.size() < 2 ? 60 : points.get(points.size() - 1).offsetSeconds()
                + (points.get(points.size() - 1).offsetSeconds() - points.get(0).offsetSeconds()) / (points.size() - 1);
        double[] buckets = new double[demoSeconds];
        for (int k = 0; k < demoSeconds; k++) {
            buckets[k] = mean(points, span, k * speedup, (k + 1) * speedup);
        }
        double max = 0;
        for (double b : buckets) {
            max = Math.max(max, b);
        }
        if (!(max > 0)) {
            throw new IllegalArgumentException("the replayed part of the trace has no traffic at all");
        }
        for (int k = 0; k < demoSeconds; k++) {
            buckets[k] = buckets[k] / max * peakRate;
        }
        return new TraceSchedule(buckets);
    }

    /** Time-weighted mean of the step function over [from, to) in trace seconds, wrapping at {@code span}. */
    private static double mean(List<Point> points, double span, double from, double to) {
        double sum = 0;
        double step = Math.max(1e-3, (to - from) / 64);
        int n = 0;
        for (double t = from; t < to; t += step) {
            sum += valueAt(points, t % span);
            n++;
        }
        return sum / n;
    }

    private static double valueAt(List<Point> points, double offset) {
        int lo = 0;
        int hi = points.size() - 1;
        while (lo < hi) { // last point with offsetSeconds <= offset
            int mid = (lo + hi + 1) >>> 1;
            if (points.get(mid).offsetSeconds() <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return points.get(lo).rate();
    }

    @Override
    public double rateAt(double seconds) {
        if (seconds <= 0) {
            return perDemoSecond[0];
        }
        double x = seconds - 0.5; // bucket k is centred on k + 0.5
        int k = (int) Math.floor(x);
        if (k < 0) {
            return perDemoSecond[0];
        }
        if (k >= perDemoSecond.length - 1) {
            return perDemoSecond[perDemoSecond.length - 1];
        }
        double f = x - k;
        return perDemoSecond[k] * (1 - f) + perDemoSecond[k + 1] * f;
    }

    /** The scaled rate of each demo second. */
    public double[] perSecond() {
        return perDemoSecond.clone();
    }

    static List<Point> parse(String source, InputStream in) throws IOException {
        List<Point> points = new ArrayList<>();
        Instant first = null;
        Instant previous = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank() || (no == 1 && line.startsWith("timestamp"))) {
                    continue;
                }
                String[] parts = line.split(",");
                if (parts.length != 2) {
                    throw new IllegalArgumentException(source + ":" + no + ": expected 'timestamp,events_per_second', got '" + line + "'");
                }
                Instant at;
                double rate;
                try {
                    at = Instant.parse(parts[0].trim());
                    rate = Double.parseDouble(parts[1].trim());
                } catch (DateTimeParseException | NumberFormatException e) {
                    throw new IllegalArgumentException(source + ":" + no + ": " + e.getMessage());
                }
                if (!(rate >= 0) || Double.isInfinite(rate)) {
                    throw new IllegalArgumentException(source + ":" + no + ": rate must be finite and >= 0, got " + parts[1].trim());
                }
                if (previous != null && !at.isAfter(previous)) {
                    throw new IllegalArgumentException(source + ":" + no + ": timestamps must increase (" + at + " after " + previous + ")");
                }
                if (first == null) {
                    first = at;
                }
                previous = at;
                points.add(new Point(Duration.between(first, at).toMillis() / 1000.0, rate));
            }
        }
        if (points.isEmpty()) {
            throw new IllegalArgumentException(source + ": no data rows");
        }
        return points;
    }
}

package dev.flinkfleet.policies.builtin;

import java.time.Duration;
import java.util.Locale;

import dev.flinkfleet.policies.Explanation;
import dev.flinkfleet.policies.Inputs;
import dev.flinkfleet.policies.Signals;

/** Small arithmetic and formatting helpers shared by the built-in policies. */
final class Numbers {

    /** Relative slack for rounding: 10 × 0.56 / 0.7 is 8.000000000000002 in doubles and must give 8, not 9. */
    private static final double ROUNDING_SLACK = 1e-9;

    private Numbers() {
    }

    /**
     * Whole workers needed for {@code workers} (possibly fractional) of load: the ceiling, at least 1,
     * saturating at {@link Integer#MAX_VALUE} (the governor's bounds bring it down). A value within rounding
     * noise of a whole number counts as that number.
     */
    static int ceilWorkers(double workers) {
        if (Double.isNaN(workers)) {
            throw new IllegalArgumentException("worker count is NaN");
        }
        double nearest = Math.rint(workers);
        double whole = Math.abs(workers - nearest) <= ROUNDING_SLACK * Math.max(1, Math.abs(workers))
                ? nearest : Math.ceil(workers);
        if (whole >= Integer.MAX_VALUE) {
            return Integer.MAX_VALUE;
        }
        return (int) Math.max(1, whole);
    }

    /** {@code a <= b}, allowing rounding noise, for band checks on computed ratios. */
    static boolean atMost(double a, double b) {
        return a <= b + ROUNDING_SLACK * Math.max(1, Math.abs(b));
    }

    /** Below this CPU the throughput ÷ CPU estimate of a worker's capacity is mostly noise. */
    static final double MIN_TRUSTED_CPU = 0.05;

    /**
     * The input rate: measured, or else throughput + backlog growth (never negative; noise can make growth more
     * negative than throughput). Records what it used in {@code in}; NaN when neither can be had.
     */
    static double inputRate(Signals s, double throughput, Inputs in) {
        if (!s.inputRate().isMissing()) {
            return s.inputRate().value();
        }
        if (!s.backlogGrowth().isMissing()) {
            in.put("backlog-growth", s.backlogGrowth().value());
            return Math.max(0, throughput + s.backlogGrowth().value());
        }
        return Double.NaN;
    }

    /** The hold when neither the input rate nor backlog growth is known. */
    static final Explanation NO_INPUT =
            Explanation.of("input rate and backlog growth are both missing: the input cannot be estimated");

    static double seconds(Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }

    /** Whole numbers without decimals, others with at most three; for explanations. */
    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "missing";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "infinite" : "-infinite";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}

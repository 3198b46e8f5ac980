package dev.flinkfleet.policies;

/**
 * One signal value with its age and quality. Unusable values (NaN, infinite, negative where the
 * signal cannot be negative) are turned into {@link Quality#MISSING} here, so no policy ever sees them as zero.
 *
 * @param value      the measured value; {@code NaN} when missing
 * @param ageSeconds how old the underlying sample is at decision time; {@code +Inf} when missing
 * @param quality    fresh, stale or missing
 */
public record Measurement(double value, double ageSeconds, Quality quality) {

    private static final Measurement MISSING = new Measurement(Double.NaN, Double.POSITIVE_INFINITY, Quality.MISSING);

    public Measurement {
        if (quality == null) {
            throw new IllegalArgumentException("quality must not be null");
        }
        if (quality != Quality.MISSING && (!Double.isFinite(value) || !(ageSeconds >= 0) || Double.isNaN(ageSeconds))) {
            // Callers must go through of(...) for untrusted values; this guards the invariant.
            throw new IllegalArgumentException("a usable measurement needs a finite value and age >= 0: " + value + " age " + ageSeconds);
        }
    }

    public static Measurement missing() {
        return MISSING;
    }

    /**
     * Classifies a raw value for {@code kind}: unusable values become missing, values older than
     * {@code staleAfterSeconds} become stale.
     */
    public static Measurement of(SignalKind kind, double value, double ageSeconds, double staleAfterSeconds) {
        if (!Double.isFinite(value) || Double.isNaN(ageSeconds) || ageSeconds < 0 || Double.isInfinite(ageSeconds)) {
            return MISSING;
        }
        if (value < 0 && !kind.signed()) {
            return MISSING;
        }
        return new Measurement(value, ageSeconds, ageSeconds > staleAfterSeconds ? Quality.STALE : Quality.FRESH);
    }

    /** A fresh value of age 0 (tests, explain). Unusable values still become missing. */
    public static Measurement fresh(SignalKind kind, double value) {
        return of(kind, value, 0, Double.POSITIVE_INFINITY);
    }

    public boolean isMissing() {
        return quality == Quality.MISSING;
    }

    public boolean isFresh() {
        return quality == Quality.FRESH;
    }

    /** The value, or {@code fallback} when missing. */
    public double orElse(double fallback) {
        return isMissing() ? fallback : value;
    }

    @Override
    public String toString() {
        return switch (quality) {
            case MISSING -> "missing";
            case FRESH -> fmt(value) + " (" + fmt(ageSeconds) + "s old)";
            case STALE -> fmt(value) + " (STALE, " + fmt(ageSeconds) + "s old)";
        };
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }
}

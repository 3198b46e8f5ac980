package dev.flinkfleet.simulator.calibrate;

import java.util.Objects;

/**
 * One job-model value as {@code calibrate} found it: fitted from the history (with the evidence and how sure it
 * is), derived from something measured, or refused (with why; the value is then the model's default and is not
 * written).
 *
 * @param key        the job-model key, e.g. {@code per-worker-eps}
 * @param value      the value; NaN when refused
 * @param kind       how it was found
 * @param evidence   what it rests on, one sentence
 * @param spread     relative uncertainty (0.05 = ±5 %), NaN when not meaningful
 */
public record Fit(String key, double value, Kind kind, String evidence, double spread) {

    /** How a value was found. */
    public enum Kind {
        /** Estimated from many observations of the job. */
        FITTED,
        /** Computed from one measured fact (e.g. the scrape interval), not estimated. */
        DERIVED,
        /** The history cannot support a value. */
        REFUSED
    }

    public Fit {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(evidence, "evidence");
    }

    static Fit fitted(String key, double value, String evidence, double spread) {
        return new Fit(key, value, Kind.FITTED, evidence, spread);
    }

    static Fit derived(String key, double value, String evidence) {
        return new Fit(key, value, Kind.DERIVED, evidence, Double.NaN);
    }

    static Fit refused(String key, String why) {
        return new Fit(key, Double.NaN, Kind.REFUSED, why, Double.NaN);
    }

    public boolean refused() {
        return kind == Kind.REFUSED;
    }
}

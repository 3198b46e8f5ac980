package dev.flinkfleet.simulator.calibrate;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@link ModelFitter} found for one job: every value with its evidence. {@link #modelFile()} renders a
 * job-model file for {@code simulate --job}: the values found, each under a comment giving its evidence; the
 * refused ones as comments only, so the model's defaults apply to them.
 */
public record Calibration(JobHistory history, List<Fit> fits) {

    public Calibration {
        fits = List.copyOf(fits);
    }

    /** The fit of {@code key}, if it was attempted. */
    public Optional<Fit> get(String key) {
        return fits.stream().filter(f -> f.key().equals(key)).findFirst();
    }

    /** A model is only worth writing with a capacity: every cost and latency the simulator reports scales with it. */
    public boolean usable() {
        return get("per-worker-eps").map(f -> !f.refused()).orElse(false);
    }

    /** One line per value: key, value, how it was found and how sure. */
    public String report() {
        StringBuilder b = new StringBuilder();
        for (Fit f : fits) {
            b.append(String.format(Locale.ROOT, "%-28s ", f.key()));
            switch (f.kind()) {
                case REFUSED -> b.append("not fitted: ").append(f.evidence());
                case DERIVED -> b.append(num(f.value())).append("  (derived: ").append(f.evidence()).append(')');
                case FITTED -> b.append(num(f.value())).append(Double.isNaN(f.spread()) ? ""
                        : String.format(Locale.ROOT, " ±%.0f %%", 100 * f.spread())).append("  (").append(f.evidence()).append(')');
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The job-model file; {@code header} lines become comments at its top. */
    public String modelFile(List<String> header) {
        StringBuilder b = new StringBuilder();
        header.forEach(h -> b.append("# ").append(h).append('\n'));
        for (Fit f : fits) {
            b.append('\n');
            if (f.refused()) {
                b.append("# ").append(f.key()).append(": not fitted, the default applies: ").append(f.evidence()).append('\n');
                continue;
            }
            b.append("# ").append(f.kind() == Fit.Kind.DERIVED ? "derived: " : "fitted: ").append(f.evidence());
            if (!Double.isNaN(f.spread())) {
                b.append(String.format(Locale.ROOT, " (±%.0f %%)", 100 * f.spread()));
            }
            b.append('\n').append(f.key()).append(" = ").append(num(f.value())).append('\n');
        }
        return b.toString();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.4g", v);
    }
}

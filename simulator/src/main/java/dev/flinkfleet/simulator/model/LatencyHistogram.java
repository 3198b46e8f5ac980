package dev.flinkfleet.simulator.model;

/**
 * Time-weighted latency distribution in fixed log-spaced buckets (1 % wide, 1 ms .. 10^8 s): allocation-free
 * per sample, mergeable across a fleet, deterministic. Percentiles are a bucket's upper edge clamped to the
 * observed min and max, so a constant latency comes out exact.
 */
public final class LatencyHistogram implements java.io.Serializable {

    private static final double LOW = 1e-3;
    private static final double GROWTH = 1.01;
    private static final double LOG_GROWTH = Math.log(GROWTH);
    private static final int BUCKETS = 2 + (int) Math.ceil(Math.log(1e8 / LOW) / LOG_GROWTH);

    private final double[] weight = new double[BUCKETS];
    private double total;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    /** Adds {@code seconds} of time spent at latency {@code latency}. */
    public void add(double latency, double seconds) {
        if (!(latency < Double.POSITIVE_INFINITY)) {
            // (int) of +Inf is Integer.MAX_VALUE, and 1 + that a negative index: fail with the value instead.
            throw new IllegalArgumentException("latency must be a finite number, got " + latency);
        }
        int b = latency <= LOW ? 0 : Math.min(BUCKETS - 1, 1 + (int) Math.min(BUCKETS, Math.log(latency / LOW) / LOG_GROWTH));
        weight[b] += seconds;
        total += seconds;
        if (latency < min) {
            min = latency;
        }
        if (latency > max) {
            max = latency;
        }
    }

    public void addAll(LatencyHistogram o) {
        for (int i = 0; i < BUCKETS; i++) {
            weight[i] += o.weight[i];
        }
        total += o.total;
        min = Math.min(min, o.min);
        max = Math.max(max, o.max);
    }

    /** The latency at or below which {@code q} (0..1) of the time was spent; NaN when empty. */
    public double quantile(double q) {
        if (total <= 0) {
            return Double.NaN;
        }
        double target = q * total;
        double cum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            cum += weight[i];
            if (cum >= target && weight[i] > 0) {
                double upper = LOW * Math.pow(GROWTH, i);
                return Math.max(min, Math.min(max, upper));
            }
        }
        return max;
    }

    public double max() {
        return total > 0 ? max : Double.NaN;
    }
}

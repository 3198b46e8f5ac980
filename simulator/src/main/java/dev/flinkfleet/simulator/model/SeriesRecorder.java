package dev.flinkfleet.simulator.model;

/**
 * Time series for the report, downsampled while the replay runs: each bucket keeps the min and max of every
 * metric, so spikes survive and a 62-day replay still plots as at most {@code 2 × buckets} points.
 */
public final class SeriesRecorder implements java.io.Serializable {

    /** Plotted metrics, in column order. */
    public enum Metric { RATE, CAPACITY, WORKERS, BACKLOG, LATENCY }

    private static final int M = Metric.values().length;

    private final long startEpoch;
    private final int dtSeconds;
    private final int stepsPerBucket;
    private final int buckets;
    private final double[] min;
    private final double[] max;

    public SeriesRecorder(long startEpoch, int dtSeconds, long steps, int maxBuckets) {
        this.startEpoch = startEpoch;
        this.dtSeconds = dtSeconds;
        this.stepsPerBucket = (int) Math.max(1, (steps + maxBuckets - 1) / maxBuckets);
        this.buckets = (int) ((steps + stepsPerBucket - 1) / stepsPerBucket);
        this.min = new double[buckets * M];
        this.max = new double[buckets * M];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }

    public void record(long step, double rate, double capacity, int workers, double backlog, double latency) {
        int b = (int) (step / stepsPerBucket);
        if (b >= buckets) {
            return;
        }
        int o = b * M;
        put(o, rate);
        put(o + 1, capacity);
        put(o + 2, workers);
        put(o + 3, backlog);
        put(o + 4, latency);
    }

    private void put(int i, double v) {
        if (v < min[i]) {
            min[i] = v;
        }
        if (v > max[i]) {
            max[i] = v;
        }
    }

    public int buckets() {
        return buckets;
    }

    /** Epoch second at which bucket {@code b} starts. */
    public long bucketStart(int b) {
        return startEpoch + (long) b * stepsPerBucket * dtSeconds;
    }

    public long bucketSeconds() {
        return (long) stepsPerBucket * dtSeconds;
    }

    public double min(int b, Metric m) {
        return min[b * M + m.ordinal()];
    }

    public double max(int b, Metric m) {
        return max[b * M + m.ordinal()];
    }
}

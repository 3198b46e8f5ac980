package dev.flinkfleet.simulator.calibrate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.flinkfleet.simulator.model.FluidJob;
import dev.flinkfleet.simulator.model.JobModel;

/**
 * The history a job of a given model would leave in Prometheus, as Flink reports it: source records-out and
 * busy time averaged over a 60 s meter window, with a little noise (meters and scrapes do not line up), the
 * restart and completed-checkpoint counters, and nothing while restarting. {@code calibrate} fitted to this
 * must give the model back: that is how its arithmetic is checked without a real job.
 */
public final class ModelHistory {

    /** Flink's meters average over the last minute. */
    static final int METER_WINDOW_SECONDS = 60;

    private ModelHistory() {
    }

    /**
     * The job run at each of {@code sizes} for {@code stretchSeconds} (rescaled between them), its input at
     * {@code load} × the size's capacity with a slow ±5 % wave, observed every {@code stepSeconds}.
     *
     * @param start   time of the first second
     * @param scrape  the scrape interval to report
     * @param seed    of the ±2.5 % noise
     */
    public static JobHistory of(JobModel m, int[] sizes, double load, int stretchSeconds, int stepSeconds,
                                double scrape, Instant start, long seed) {
        FluidJob job = new FluidJob(m, 1, sizes[0]);
        SplittableRandom noise = new SplittableRandom(seed);
        List<JobHistory.Point> points = new ArrayList<>();
        int window = METER_WINDOW_SECONDS;
        double[] processed = new double[window + 1];
        double[] capacity = new double[window + 1];
        int restarts = 0;
        long upSinceStart = 0;
        long checkpoints = 0;
        int second = 0;
        for (int s = 0; s < sizes.length; s++) {
            if (s > 0) {
                job.rescale(sizes[s]);
                restarts++;
                upSinceStart = 0;
            }
            for (int i = 0; i < stretchSeconds; i++, second++) {
                job.step(m.capacity(sizes[s]) * load * (1 + 0.05 * Math.sin(second / 300.0)));
                int slot = second % (window + 1);
                processed[slot] = job.cumProcessed();
                capacity[slot] = job.cumCapacity();
                if (!job.restarting()) {
                    upSinceStart++;
                    if (m.checkpointIntervalSeconds() > 0 && upSinceStart % Math.max(1, Math.round(m.checkpointIntervalSeconds())) == 0) {
                        checkpoints++;
                    }
                }
                if (second % stepSeconds != 0 || second < window) {
                    continue;
                }
                int old = (second - window) % (window + 1);
                boolean up = !job.restarting();
                double done = job.cumProcessed() - processed[old];
                double cap = capacity[slot] - capacity[old];
                double jitter = 1 + 0.05 * (noise.nextDouble() - 0.5);
                points.add(new JobHistory.Point(start.plusSeconds(second), up ? job.workers() : Double.NaN,
                        up ? done / window * jitter : Double.NaN, up ? Math.min(1, (cap > 0 ? done / cap : 0) * (2 - jitter)) : Double.NaN,
                        restarts, up ? checkpoints : Double.NaN));
            }
        }
        return new JobHistory("model", stepSeconds, scrape, points);
    }
}

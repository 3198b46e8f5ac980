package dev.flinkfleet.simulator.calibrate;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A real job's metrics over a range, one point per query step, as {@code calibrate} reads them from Prometheus.
 * A value the job did not report at a point (restarting, not scraped yet) is NaN.
 *
 * @param job                   the job's name, for messages
 * @param stepSeconds           time between two points
 * @param scrapeIntervalSeconds the scrape interval Prometheus used for the job's metrics; NaN when unknown
 * @param points                in time order
 */
public record JobHistory(String job, double stepSeconds, double scrapeIntervalSeconds, List<Point> points) {

    /**
     * The job at one instant.
     *
     * @param at                   the instant
     * @param workers              parallelism of the source (one slot per worker), NaN when not running
     * @param throughput           records/s the source emitted
     * @param busy                 busy fraction of the busiest task, 0..1
     * @param restarts             Flink's numRestarts counter
     * @param completedCheckpoints Flink's numberOfCompletedCheckpoints counter
     */
    public record Point(Instant at, double workers, double throughput, double busy, double restarts,
                        double completedCheckpoints) {

        public Point {
            Objects.requireNonNull(at, "at");
        }

        /** True when the job reported itself processing at this point. */
        boolean running() {
            return !Double.isNaN(workers) && workers >= 1 && !Double.isNaN(throughput);
        }
    }

    public JobHistory {
        Objects.requireNonNull(job, "job");
        points = List.copyOf(points);
        if (!(stepSeconds > 0)) {
            throw new IllegalArgumentException("step must be positive, got " + stepSeconds);
        }
        for (int i = 1; i < points.size(); i++) {
            if (!points.get(i).at().isAfter(points.get(i - 1).at())) {
                throw new IllegalArgumentException(job + ": points out of time order at " + points.get(i).at());
            }
        }
    }

    /** Seconds the history covers. */
    public double spanSeconds() {
        return points.size() < 2 ? 0
                : (points.get(points.size() - 1).at().toEpochMilli() - points.get(0).at().toEpochMilli()) / 1000.0;
    }
}

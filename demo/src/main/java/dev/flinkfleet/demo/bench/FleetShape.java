package dev.flinkfleet.demo.bench;

import java.util.Locale;

/**
 * The synthetic fleet of {@code bench fleet}: N jobs spread over a few namespaces and a few hundred topics, each
 * with its own consumer group. Every 20th job is overloaded (a large backlog, busy near 100 %), so about 5 % of
 * the fleet is rescaled at its first decision and the rest holds: Kubernetes writes are then O(rescaled jobs).
 * Pure: both JVMs of the bench (the backends and the daemon's) derive the same names from the same numbers.
 *
 * @param jobs       FlinkDeployments, consumer groups and exported jobs
 * @param topics     Kafka topics the jobs read (job i reads topic i mod topics)
 * @param partitions partitions per topic
 */
public record FleetShape(int jobs, int topics, int partitions) {

    public static final int NAMESPACES = 10;
    public static final String APPLICATION = "bench-fleet";

    public FleetShape {
        if (jobs < 1 || topics < 1 || partitions < 1) {
            throw new IllegalArgumentException("jobs, topics and partitions must be >= 1, got " + jobs + ", " + topics + ", " + partitions);
        }
    }

    /** The default: one topic per 100 jobs, between 1 and 300, four partitions each. */
    public static FleetShape of(int jobs) {
        return new FleetShape(jobs, Math.max(1, Math.min(300, jobs / 100)), 4);
    }

    public String namespace(int job) {
        return String.format(Locale.ROOT, "fleet-%02d", job % NAMESPACES);
    }

    /** FlinkDeployment name, also the consumer group (the default template {name}). */
    public String name(int job) {
        return String.format(Locale.ROOT, "job-%05d", job);
    }

    /** job_name as Flink's reporter exports it ('-' becomes '_'). */
    public String flinkJobName(int job) {
        return name(job).replace('-', '_');
    }

    public String topic(int job) {
        return String.format(Locale.ROOT, "topic-%03d", job % topics);
    }

    public boolean overloaded(int job) {
        return job % 20 == 0;
    }

    /** TaskManager replicas at start: 2 to 4. */
    public int initialWorkers(int job) {
        return 2 + job % 3;
    }
}

package dev.flinkfleet.demo;

/**
 * The job the demo scales: the real Flink job ({@link RealFlinkJob}) or, on machines without Prometheus, the
 * Kafka-only stand-in ({@link FakeFlinkJob}).
 */
public interface DemoJob extends AutoCloseable {

    /** One line for the start of the demo: what runs. */
    String describe();

    /** {@code host:port} of the job's Prometheus metrics, for a scrape config. */
    String metricsTarget();

    /** Parallel workers processing now; 0 while the job is stopped or restarting. */
    int workers();

    /** Records the job has processed so far, counted as {@link #processedMeans()} says. */
    long processedRecords();

    /** How {@link #processedRecords()} counts, for the summary. */
    String processedMeans();

    @Override
    void close();
}

package dev.flinkfleet.demo.fidelity;

import java.time.Duration;
import java.util.Locale;

/**
 * How a fidelity run is set up; the same values configure the daemon, Flink, Prometheus and the job model the
 * replay uses, so the only difference between the two sides is the job itself.
 *
 * @param load               the traffic produced in real time
 * @param costPerRecord      CPU the job's map spends per record: one subtask's capacity is its inverse
 * @param partitions         partitions of the topic (and the simulator's max-parallelism)
 * @param controlInterval    the daemon's cycle interval
 * @param scrapeInterval     Prometheus's scrape interval of Flink's reporter
 * @param checkpointInterval Flink's checkpoint interval (offsets are committed on each)
 * @param growthWindow       backlog-growth window: Kafka's growth-window and Prometheus's deriv window
 * @param slaSeconds         the latency promised; time above it is time over the SLA
 */
public record FidelitySettings(FidelityLoad load, Duration costPerRecord, int partitions, Duration controlInterval,
                               Duration scrapeInterval, Duration checkpointInterval, Duration growthWindow, int slaSeconds) {

    /** Flink's meters (numRecordsOutPerSecond, busyTimeMsPerSecond) average over this; not configurable in Flink. */
    public static final int FLINK_METER_SECONDS = 60;

    /** Most workers the policy may ask for: the one TaskManager's slots. */
    public static final int MAX_WORKERS = 8;

    /** 2.5 ms per record (400 records/s per subtask), 8 partitions, 5 s cycles, 2 s scrapes, 1 s checkpoints. */
    public static FidelitySettings of(FidelityLoad load) {
        return new FidelitySettings(load, Duration.ofMillis(2).plusNanos(500_000), 8, Duration.ofSeconds(5),
                Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(10), 10);
    }

    /**
     * The application's policy file, read unchanged by both the daemon and the simulator: backlog-drain with a
     * short SLA and short cooldowns, so several rescales happen in a few minutes.
     */
    public String policyFile(String namespace) {
        return String.format(Locale.ROOT, """
                # Fidelity run: the same file drives the daemon and the simulator.
                application {
                  name = "fidelity"
                  select { namespaces = ["%s"] }
                  policy = "backlog-drain"
                  params {
                    scale-up-backlog-time = 4s
                    scale-up-cpu = 0.9
                    time-to-drain = 15s
                    scale-down-cpu = 0.5
                    scale-down-backlog-time = 2s
                    target-cpu = 0.7
                  }
                  governor {
                    min-workers = 1
                    max-workers = %d
                    tolerance = 0.1
                    scale-up-cooldown = 15s
                    scale-down-cooldown = 30s
                    scale-down-stabilization-window = 30s
                    max-signal-age = 1m
                  }
                  sla-latency = %ds
                  actuation.mode = "flink-rest"
                }
                """, namespace, MAX_WORKERS, slaSeconds);
    }
}

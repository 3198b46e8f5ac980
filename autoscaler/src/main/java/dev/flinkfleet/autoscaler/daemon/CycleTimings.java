package dev.flinkfleet.autoscaler.daemon;

/**
 * Where the last cycle's time went, for {@code bench fleet}: binding the fleet, the signal read (Kafka clusters
 * and Prometheus run in parallel, so {@code signalsNanos} is about the larger of the two), deciding every job
 * (with the listeners: metrics, board, events) and the actuator's patches.
 *
 * @param jobs     plans the loop ran
 * @param patches  actuator calls (decisions that changed a size and reached the actuator)
 */
public record CycleTimings(int jobs, long bindNanos, long kafkaNanos, long promNanos, long signalsNanos, long decideNanos,
                           long patchNanos, int patches, long totalNanos) {

    public static final CycleTimings NONE = new CycleTimings(0, 0, 0, 0, 0, 0, 0, 0, 0);
}

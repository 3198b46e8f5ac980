package dev.flinkfleet.demo.fidelity;

import java.util.List;

/**
 * What happened to the job over the trace, measured the same way on both sides.
 *
 * @param rescales      every rescale, in time order
 * @param maxBacklog    largest backlog (records not yet consumed)
 * @param slaSeconds    seconds with latency above the SLA
 * @param workerSeconds parallelism × time, summed over the trace
 * @param maxLatency    largest latency seen, seconds
 */
public record Outcome(List<Rescale> rescales, double maxBacklog, double slaSeconds, double workerSeconds, double maxLatency) {

    public Outcome {
        rescales = List.copyOf(rescales);
    }

    /**
     * One rescale.
     *
     * @param atSeconds seconds after the trace began
     * @param from      workers before
     * @param to        workers after
     */
    public record Rescale(double atSeconds, int from, int to) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%.0fs %d→%d", atSeconds, from, to);
        }
    }
}

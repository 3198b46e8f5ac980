package dev.flinkfleet.simulator.operator;

import java.util.EnumMap;
import java.util.Map;

import org.apache.flink.autoscaler.metrics.FlinkMetric;
import org.apache.flink.runtime.rest.messages.job.metrics.AggregatedMetric;
import org.apache.flink.runtime.rest.messages.job.metrics.IOMetricsInfo;

/**
 * What Flink's REST API reports for the simulated job's one vertex (a Kafka source chained with its processing,
 * one slot per worker) at one instant: the job-details counters, which restart from zero with the job, and the
 * subtask metrics the library aggregates. Every subtask carries the same share, so min = max = avg = sum / p.
 *
 * @param parallelism       running subtasks (= workers)
 * @param recordsIn         records the source read since the job last started (its numRecordsIn counter)
 * @param accumulatedBusyMs busy milliseconds summed over the subtasks since the job last started
 * @param recordsInPerSecond the source's numRecordsInPerSecond meter, summed over the subtasks
 * @param busyMsPerSecond   busyTimeMsPerSecond of each subtask, 0..1000
 * @param pendingRecords    the source's pendingRecords, summed over the subtasks
 */
record VertexReading(int parallelism, double recordsIn, double accumulatedBusyMs, double recordsInPerSecond,
                     double busyMsPerSecond, double pendingRecords) {

    /**
     * The reading at {@code now} for a job that started at {@code start} and was last read at {@code previous}
     * (the meters cover the time between; {@code previous} is {@code start} right after a restart).
     *
     * @param capacityEps the job's processing capacity at this parallelism, records per second: a subtask is busy
     *                    for the share of it that was used
     */
    static VertexReading between(JobCounters start, JobCounters previous, JobCounters now, int parallelism, double capacityEps) {
        double recordsIn = now.processed() - start.processed();
        double up = now.upSeconds() - previous.upSeconds();
        double rate = up > 0 ? (now.processed() - previous.processed()) / up : 0;
        double busyPerSecond = Math.min(1000, 1000 * rate / capacityEps);
        return new VertexReading(parallelism, recordsIn, parallelism * 1000 * recordsIn / capacityEps, rate,
                busyPerSecond, now.backlog());
    }

    /** The vertex's counters in the job details (a source reads no network input: its records-read stays 0). */
    IOMetricsInfo ioMetrics() {
        return new IOMetricsInfo(0, true, 0, true, 0, true, (long) recordsIn, true, 0, 0, accumulatedBusyMs);
    }

    /** The value of every subtask metric the library may ask for. */
    Map<FlinkMetric, AggregatedMetric> metrics() {
        Map<FlinkMetric, AggregatedMetric> out = new EnumMap<>(FlinkMetric.class);
        out.put(FlinkMetric.BUSY_TIME_PER_SEC, perSubtask(busyMsPerSecond));
        // Nothing downstream of the chained vertex pushes back: its sink is outside Flink.
        out.put(FlinkMetric.BACKPRESSURE_TIME_PER_SEC, perSubtask(0));
        out.put(FlinkMetric.SOURCE_TASK_NUM_RECORDS_IN, summed(recordsIn));
        out.put(FlinkMetric.SOURCE_TASK_NUM_RECORDS_IN_PER_SEC, summed(recordsInPerSecond));
        out.put(FlinkMetric.SOURCE_TASK_NUM_RECORDS_OUT, summed(recordsIn));
        out.put(FlinkMetric.SOURCE_TASK_NUM_RECORDS_OUT_PER_SEC, summed(recordsInPerSecond));
        out.put(FlinkMetric.PENDING_RECORDS, summed(pendingRecords));
        return out;
    }

    private AggregatedMetric perSubtask(double value) {
        return new AggregatedMetric("", value, value, value, value * parallelism, 0.0);
    }

    private AggregatedMetric summed(double total) {
        double each = total / parallelism;
        return new AggregatedMetric("", each, each, each, total, 0.0);
    }
}

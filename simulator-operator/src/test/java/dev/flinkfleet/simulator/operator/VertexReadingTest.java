package dev.flinkfleet.simulator.operator;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.stream.Stream;

import org.apache.flink.autoscaler.metrics.FlinkMetric;
import org.apache.flink.runtime.rest.messages.job.metrics.AggregatedMetric;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The simulated job's counters become the Flink metrics the library reads, with Flink's units and aggregation. */
class VertexReadingTest {

    record Case(String name, JobCounters start, JobCounters previous, JobCounters now, int parallelism, double capacityEps,
                double recordsIn, double accumulatedBusyMs, double ratePerSecond, double busyMsPerSecond, double pending) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        JobCounters zero = new JobCounters(0, 0, 0);
        return Stream.of(
                // 30 s at 2,000 ev/s on 4 workers of 4,000 ev/s in all: half busy, 60,000 records, 4 × 15 s busy.
                new Case("half busy", zero, zero, new JobCounters(60_000, 30, 0), 4, 4000,
                        60_000, 60_000, 2000, 500, 0),
                // Draining a backlog at capacity: busy saturates at 1,000 ms/s, pendingRecords is the backlog.
                new Case("saturated with backlog", zero, new JobCounters(100_000, 30, 50_000), new JobCounters(220_000, 60, 80_000), 4, 4000,
                        220_000, 220_000, 4000, 1000, 80_000),
                // Counters restart with the job: only what ran since the restart counts.
                new Case("after a restart", new JobCounters(1_000_000, 3600, 70_000), new JobCounters(1_000_000, 3600, 70_000),
                        new JobCounters(1_240_000, 3630, 10_000), 8, 8000, 240_000, 240_000, 8000, 1000, 10_000),
                // Still restarting at the read: no up-time since the last read, so the meters read 0.
                new Case("no up-time since the last read", zero, new JobCounters(0, 0, 5000), new JobCounters(0, 0, 9000), 2, 2000,
                        0, 0, 0, 0, 9000),
                // Idle: no input, nothing busy.
                new Case("idle", zero, new JobCounters(500, 60, 0), new JobCounters(500, 90, 0), 1, 1000,
                        500, 500, 0, 0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void countersBecomeFlinkMetrics(Case c) {
        VertexReading r = VertexReading.between(c.start(), c.previous(), c.now(), c.parallelism(), c.capacityEps());
        Map<FlinkMetric, AggregatedMetric> m = r.metrics();
        double eps = 1e-9;
        assertAll(
                () -> assertEquals(c.recordsIn(), r.ioMetrics().getRecordsWritten(), eps, "records written (job details)"),
                () -> assertEquals(0, r.ioMetrics().getRecordsRead(), "a source reads no network input"),
                () -> assertEquals(c.accumulatedBusyMs(), r.ioMetrics().getAccumulatedBusy(), eps, "accumulated busy ms"),
                () -> assertEquals(c.recordsIn(), m.get(FlinkMetric.SOURCE_TASK_NUM_RECORDS_IN).getSum(), eps, "source numRecordsIn"),
                () -> assertEquals(c.ratePerSecond(), m.get(FlinkMetric.SOURCE_TASK_NUM_RECORDS_IN_PER_SEC).getSum(), eps, "numRecordsInPerSecond"),
                () -> assertEquals(c.ratePerSecond() / c.parallelism(), m.get(FlinkMetric.SOURCE_TASK_NUM_RECORDS_IN_PER_SEC).getAvg(), eps, "per subtask"),
                () -> assertEquals(c.busyMsPerSecond(), m.get(FlinkMetric.BUSY_TIME_PER_SEC).getMax(), eps, "busyTimeMsPerSecond max"),
                () -> assertEquals(c.busyMsPerSecond(), m.get(FlinkMetric.BUSY_TIME_PER_SEC).getAvg(), eps, "busyTimeMsPerSecond avg"),
                () -> assertEquals(0, m.get(FlinkMetric.BACKPRESSURE_TIME_PER_SEC).getMax(), eps, "back-pressured"),
                () -> assertEquals(c.pending(), m.get(FlinkMetric.PENDING_RECORDS).getSum(), eps, "pendingRecords"));
    }
}

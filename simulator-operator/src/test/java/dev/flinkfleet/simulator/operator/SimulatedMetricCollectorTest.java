package dev.flinkfleet.simulator.operator;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.stream.Stream;

import dev.flinkfleet.simulator.SimClock;
import dev.flinkfleet.simulator.model.FluidJob;
import org.apache.flink.autoscaler.JobAutoScalerContext;
import org.apache.flink.autoscaler.metrics.ScalingMetric;
import org.apache.flink.autoscaler.state.InMemoryAutoScalerStateStore;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Through the library's own collector code: the topology it builds from the simulated REST answers (parallelism,
 * max parallelism, the partition count it finds in the metric names) and the scaling metrics it derives.
 */
class SimulatedMetricCollectorTest {

    record Case(String name, int workers, double rate, int seconds, double lag, double recordsIn, double load) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // 4 workers (4,000 ev/s) at 1,000 ev/s for 10 min: a quarter busy, no lag.
                new Case("under-loaded", 4, 1000, 600, 0, 600_000, 0.25),
                // 2 workers at 3,000 ev/s for 5 min: busy, a backlog of 1,000 ev/s × 300 s.
                new Case("overloaded", 2, 3000, 300, 300_000, 600_000, 1.0),
                // Idle: nothing read, not busy.
                new Case("idle", 8, 0, 300, 0, 0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void libraryReadsTheSimulatedJob(Case c) throws Exception {
        FluidJob fluid = new FluidJob(Replays.MODEL, 10, c.workers());
        Instant start = Replays.START;
        SimClock clock = new SimClock(start.getEpochSecond());
        SimulatedJob job = new SimulatedJob("probe", fluid, start);
        SimulatedMetricCollector collector = new SimulatedMetricCollector(job, clock);
        var store = new InMemoryAutoScalerStateStore<String, JobAutoScalerContext<String>>();
        var ctx = new JobAutoScalerContext<>("probe", job.jobId(), job.status(), OperatorAutoscalerBaseline.defaults(),
                new UnregisteredMetricsGroup(), () -> null);

        for (int s = 0; s < c.seconds(); s += 10) {
            fluid.step(c.rate());
        }
        clock.set(start.getEpochSecond() + c.seconds());
        job.observe(clock.instant());
        var collected = collector.updateMetrics(ctx, store);

        var vertex = collected.getJobTopology().get(job.vertex());
        var metrics = store.getCollectedMetrics(ctx).get(clock.instant()).getVertexMetrics().get(job.vertex());
        assertAll(
                () -> assertEquals(c.workers(), vertex.getParallelism(), "parallelism"),
                () -> assertEquals(64, vertex.getMaxParallelism(), "max parallelism"),
                () -> assertEquals(64, vertex.getNumSourcePartitions(), "partitions found in the KafkaSourceReader metric names"),
                () -> assertEquals(c.lag(), metrics.get(ScalingMetric.LAG), 1e-6, "lag"),
                () -> assertEquals(c.recordsIn(), metrics.get(ScalingMetric.NUM_RECORDS_IN), 1e-6, "records in"),
                () -> assertEquals(c.load(), metrics.get(ScalingMetric.LOAD), 1e-9, "load"));
    }
}

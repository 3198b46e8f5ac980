package dev.flinkfleet.simulator.operator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.flinkfleet.simulator.model.FluidJob;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.jobgraph.JobVertexID;
import org.apache.flink.runtime.rest.messages.JobPlanInfo;
import org.apache.flink.runtime.rest.messages.job.JobDetailsInfo;

/**
 * The simulated job as the Flink REST API shows it to the library: one vertex, a Kafka source chained with the
 * processing (so the vertex's parallelism is the worker count, one slot per worker), reading a topic of
 * max-parallelism partitions (the simulator's Kafka model). A rescale restarts the job, which resets its counters
 * and its RUNNING timestamp, as a redeploy does. Not thread-safe: one controller drives it.
 */
final class SimulatedJob {

    /** The source operator's name in metric names; the library matches the {@code Source__} prefix. */
    static final String SOURCE = "Source__trace";

    private final FluidJob fluid;
    private final JobID jobId;
    private final JobVertexID vertex;
    private final String name;

    private Instant runningSince;
    private boolean restartPending;
    private JobCounters atStart;
    private JobCounters previous;
    private JobCounters now;

    SimulatedJob(String name, FluidJob fluid, Instant start) {
        this.name = name;
        this.fluid = fluid;
        long h = name.hashCode();
        this.jobId = new JobID(h, 0x6a6f62L);
        this.vertex = new JobVertexID(h, 0x736f75726365L);
        this.runningSince = start;
        this.atStart = JobCounters.of(fluid);
        this.previous = atStart;
        this.now = atStart;
    }

    /** Reads the job's counters at {@code time}; the job becomes RUNNING again once a restart is over. */
    void observe(Instant time) {
        now = JobCounters.of(fluid);
        if (restartPending && !fluid.restarting()) {
            // It has been processing for the up-time since the rescale; it switched to RUNNING that long ago.
            long upMillis = Math.round((now.upSeconds() - atStart.upSeconds()) * 1000);
            runningSince = time.minusMillis(upMillis);
            restartPending = false;
        }
    }

    /** After the library's cycle: the next cycle's meters cover the time from here. */
    void cycleDone() {
        previous = now;
    }

    /** Applies a parallelism override: a different count restarts the job. */
    void rescale(int parallelism) {
        if (parallelism == fluid.workers()) {
            return;
        }
        fluid.rescale(parallelism);
        atStart = JobCounters.of(fluid);
        previous = atStart;
        now = atStart;
        restartPending = true;
    }

    JobStatus status() {
        return restartPending ? JobStatus.RESTARTING : JobStatus.RUNNING;
    }

    JobID jobId() {
        return jobId;
    }

    JobVertexID vertex() {
        return vertex;
    }

    int parallelism() {
        return fluid.workers();
    }

    int partitions() {
        return fluid.model().maxParallelism();
    }

    VertexReading reading() {
        return VertexReading.between(atStart, previous, now, fluid.workers(), fluid.capacityEps());
    }

    /** The {@code GET /jobs/:jobid} answer: status, RUNNING timestamp, the vertex with its counters, the plan. */
    JobDetailsInfo details(Instant time) {
        int p = parallelism();
        int maxP = fluid.model().maxParallelism();
        long t = time.toEpochMilli();
        long since = runningSince.toEpochMilli();
        var info = new JobDetailsInfo.JobVertexDetailsInfo(vertex, null, "Source: trace", maxP, p, ExecutionState.RUNNING,
                since, -1, t - since, Map.of(ExecutionState.RUNNING, p), reading().ioMetrics());
        String plan = "{\"jid\":\"" + jobId + "\",\"name\":\"" + name + "\",\"type\":\"STREAMING\",\"nodes\":[{\"id\":\""
                + vertex + "\",\"parallelism\":" + p + ",\"operator\":\"\",\"operator_strategy\":\"\","
                + "\"description\":\"Source: trace\",\"optimizer_properties\":{}}]}";
        return new JobDetailsInfo(jobId, name, false, status(), since, -1, t - since, maxP, t,
                Map.of(JobStatus.RUNNING, since), List.of(info), Map.of(ExecutionState.RUNNING, 1), new JobPlanInfo.RawJson(plan));
    }

    /**
     * The subtask metric names the REST API lists for the vertex: the task's busy and back-pressured time, the
     * source operator's counters and meters, its pendingRecords, and one current-offset gauge per Kafka partition
     * (from which the library learns the partition count).
     */
    List<String> metricNames() {
        List<String> out = new ArrayList<>(List.of("busyTimeMsPerSecond", "backPressuredTimeMsPerSecond",
                SOURCE + ".numRecordsIn", SOURCE + ".numRecordsInPerSecond", SOURCE + ".numRecordsOut",
                SOURCE + ".numRecordsOutPerSecond", SOURCE + ".pendingRecords"));
        for (int i = 0; i < partitions(); i++) {
            out.add(SOURCE + ".KafkaSourceReader.topic.trace.partition." + i + ".currentOffset");
        }
        return out;
    }
}

package dev.flinkfleet.demo;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

import dev.flinkfleet.autoscaler.flinkrest.FlinkRestClient;
import dev.flinkfleet.autoscaler.flinkrest.FlinkRestException;
import dev.flinkfleet.autoscaler.flinkrest.JobDetails;
import dev.flinkfleet.autoscaler.flinkrest.ResourceRequirements;
import dev.flinkfleet.testkit.flink.FlinkJob;

/**
 * The real Flink job of the demo (testkit {@link FlinkJob}: a MiniCluster with the adaptive scheduler running
 * KafkaSource → a map spending a fixed CPU time per record → sink), and what the stand-in operator's rollout
 * does to it. A rollout stops the TaskManager as soon as the spec changes (the real operator's savepoint
 * upgrade stops the job at once too), so nothing is processed while the new pods start; when the pod-start
 * delay is over it sets the job's resource requirements through Flink's REST API ({@code PUT
 * /jobs/:id/resource-requirements}, upper bound = replicas × slots per TaskManager), starts a TaskManager, and
 * returns once the REST API shows every vertex RUNNING at that parallelism. Flink restores the job from its last
 * checkpoint, so records read since then are read again, as after a real restart.
 */
public final class RealFlinkJob implements DemoJob, FakeOperator.Rollout {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final FlinkJob flink;
    private final FlinkRestClient rest;
    private final Admin admin;
    private final int slotsPerTaskManager;
    private volatile boolean stopped;

    private RealFlinkJob(FlinkJob flink, FlinkRestClient rest, Admin admin, int slotsPerTaskManager) {
        this.flink = flink;
        this.rest = rest;
        this.admin = admin;
        this.slotsPerTaskManager = slotsPerTaskManager;
    }

    /**
     * Starts the MiniCluster and the job, RUNNING on return.
     *
     * @param spec                the job (its group id is the consumer group the daemon reads lag of)
     * @param slotsPerTaskManager the FlinkDeployment's {@code taskmanager.numberOfTaskSlots}: parallelism per replica
     */
    public static RealFlinkJob start(FlinkJob.Spec spec, int slotsPerTaskManager) throws Exception {
        FlinkJob flink = FlinkJob.start(spec);
        try {
            FlinkRestClient rest = new FlinkRestClient("demo", flink.restAddress(), Duration.ofSeconds(10), 3, Duration.ofMillis(500));
            Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, spec.bootstrapServers()));
            return new RealFlinkJob(flink, rest, admin, slotsPerTaskManager);
        } catch (RuntimeException e) {
            flink.close();
            throw e;
        }
    }

    @Override
    public String describe() {
        return "a real Apache Flink " + FlinkJob.flinkVersion() + " job (MiniCluster, adaptive scheduler), job id " + flink.jobId()
                + ", REST " + flink.restAddress();
    }

    public String jobId() {
        return flink.jobId();
    }

    public URI restAddress() {
        return flink.restAddress();
    }

    public FlinkJob flink() {
        return flink;
    }

    @Override
    public String metricsTarget() {
        return flink.prometheusTarget();
    }

    @Override
    public int workers() {
        if (stopped) {
            return 0;
        }
        try {
            return flink.status() == JobStatus.RUNNING ? flink.parallelism() : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    /** Records the job has committed to Kafka on checkpoints (replays after restarts not counted twice). */
    @Override
    public long processedRecords() {
        try {
            Map<?, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(flink.spec().groupId())
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public String processedMeans() {
        return "offsets committed on checkpoints";
    }

    /** Parallelism of every vertex as {@code GET /jobs/:id} reports it now. */
    public JobDetails details() throws FlinkRestException {
        return rest.job(flink.jobId());
    }

    @Override
    public void stop(String deployment) throws Exception {
        stopped = true;
        flink.stopTaskManager();
    }

    @Override
    public void start(String deployment, int replicas) throws Exception {
        int parallelism = Math.max(1, replicas) * slotsPerTaskManager;
        // Requirements first, so the job comes back at the new size in one restart, not two.
        ResourceRequirements now = rest.requirements(flink.jobId());
        if (now.maxUpperBound() != parallelism) {
            rest.putRequirements(flink.jobId(), now.withUpperBound(parallelism));
        }
        flink.startTaskManager();
        awaitRunningAt(parallelism);
        stopped = false;
    }

    @Override
    public String jobIdForStatus() {
        return flink.jobId();
    }

    private void awaitRunningAt(int parallelism) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JobDetails d = rest.job(flink.jobId());
        while (!runningAt(d, parallelism)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + flink.jobId() + " is " + d.state() + " at parallelism " + d.parallelism()
                        + ", not RUNNING at " + parallelism + " after " + WAIT.toSeconds() + " s");
            }
            Thread.sleep(100);
            d = rest.job(flink.jobId());
        }
    }

    private static boolean runningAt(JobDetails d, int parallelism) {
        return "RUNNING".equals(d.state())
                && d.vertices().stream().allMatch(v -> v.parallelism() == parallelism && "RUNNING".equals(v.status()));
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        flink.close();
    }
}

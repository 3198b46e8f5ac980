package dev.flinkfleet.testkit.flink;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A real Flink job in this JVM: a MiniCluster (one TaskManager, adaptive scheduler, REST on a random port,
 * Flink's PrometheusReporter) running {@code KafkaSource → map (a configurable CPU cost per record) →
 * discarding sink} with checkpointing on. The source is its own task (a rebalance follows it), so the job has
 * two vertices, as most real jobs have more than one. For tests and the demo; one instance per topic.
 *
 * <p>Operator names as Flink's reporter exports them: source {@code Source:_kafka_source}, map {@code work},
 * sink {@code discard:_Writer}; the job's label is {@code job_name=<jobName>} with the reporter's character
 * filter applied.
 */
public final class FlinkJob implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /**
     * What to run.
     *
     * @param jobName            the job's name (Flink's {@code job_name} label)
     * @param bootstrapServers   the Kafka broker
     * @param topic              the topic read
     * @param groupId            the consumer group whose offsets are committed on every checkpoint
     * @param parallelism        initial parallelism of every vertex
     * @param slots              slots of the one TaskManager (the largest parallelism it can run)
     * @param costPerRecord      CPU the map spends on each record (a busy spin), zero for none
     * @param checkpointInterval checkpoint interval
     * @param adaptiveScheduler  the adaptive scheduler (rescales in place through resource requirements); false =
     *                           Flink's default scheduler, which refuses them
     */
    public record Spec(String jobName, String bootstrapServers, String topic, String groupId, int parallelism, int slots,
                       Duration costPerRecord, Duration checkpointInterval, boolean adaptiveScheduler) {
        public Spec {
            Objects.requireNonNull(jobName, "jobName");
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(costPerRecord, "costPerRecord");
            Objects.requireNonNull(checkpointInterval, "checkpointInterval");
            if (parallelism < 1 || slots < parallelism) {
                throw new IllegalArgumentException("need 1 <= parallelism <= slots, got " + parallelism + " and " + slots);
            }
        }

        /** Parallelism 2 on 8 slots, no CPU cost, checkpoints every 2 s. */
        public static Spec of(String jobName, String bootstrapServers, String topic) {
            return new Spec(jobName, bootstrapServers, topic, jobName, 2, 8, Duration.ZERO, Duration.ofSeconds(2), true);
        }

        public Spec withParallelism(int p) {
            return new Spec(jobName, bootstrapServers, topic, groupId, p, slots, costPerRecord, checkpointInterval, adaptiveScheduler);
        }

        public Spec withCostPerRecord(Duration cost) {
            return new Spec(jobName, bootstrapServers, topic, groupId, parallelism, slots, cost, checkpointInterval, adaptiveScheduler);
        }

        public Spec withCheckpointInterval(Duration interval) {
            return new Spec(jobName, bootstrapServers, topic, groupId, parallelism, slots, costPerRecord, interval, adaptiveScheduler);
        }

        /** Flink's default scheduler instead of the adaptive one. */
        public Spec withDefaultScheduler() {
            return new Spec(jobName, bootstrapServers, topic, groupId, parallelism, slots, costPerRecord, checkpointInterval, false);
        }
    }

    private final Spec spec;
    private final MiniCluster cluster;
    private final JobID jobId;
    private final List<String> vertexIds;
    private final int prometheusPort;
    private final URI restAddress;
    /** The MiniCluster's index of the TaskManager now running (a stopped one keeps its index), and whether it is up. */
    private int taskManagerIndex;
    private boolean taskManagerUp = true;

    private FlinkJob(Spec spec, MiniCluster cluster, JobID jobId, List<String> vertexIds, int prometheusPort, URI restAddress) {
        this.spec = spec;
        this.cluster = cluster;
        this.jobId = jobId;
        this.vertexIds = List.copyOf(vertexIds);
        this.prometheusPort = prometheusPort;
        this.restAddress = restAddress;
    }

    /**
     * Starts the MiniCluster, submits the job and waits until it is RUNNING. The topic must exist. Warms the
     * broker's offsets topic first, or the job's first offset commits fail with CoordinatorNotAvailable.
     */
    public static FlinkJob start(Spec spec) throws Exception {
        return start(spec, false, Map.of());
    }

    /**
     * As {@link #start(Spec)}; with {@code costWaits} the map waits out its cost per record (parked, no CPU) instead
     * of spinning, as a job bound by an external call would: its capacity then grows with its parallelism whatever
     * the machine's cores (a spinning job's is capped by them), which the fidelity comparison needs on 2 cores.
     * {@code clusterSettings} go over the cluster's configuration (e.g. network buffer debloating).
     */
    public static FlinkJob start(Spec spec, boolean costWaits, Map<String, String> clusterSettings) throws Exception {
        warmOffsetsTopic(spec);
        int promPort = freePort();
        Configuration conf = clusterConfig(promPort, spec.adaptiveScheduler());
        clusterSettings.forEach(conf::setString);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(spec.slots()).build());
        try {
            cluster.start();
            JobGraph graph = jobGraph(spec, costWaits);
            List<String> ids = new ArrayList<>();
            for (JobVertex v : graph.getVertices()) {
                ids.add(v.getID().toHexString());
            }
            cluster.submitJob(graph).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            URI rest = cluster.getRestAddress().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            FlinkJob job = new FlinkJob(spec, cluster, graph.getJobID(), ids, promPort, rest);
            job.awaitRunning(WAIT);
            return job;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Creates the broker's offsets topic with one commit for a throwaway group (the job's group is left alone). */
    private static void warmOffsetsTopic(Spec spec) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, spec.bootstrapServers()))) {
            admin.alterConsumerGroupOffsets(spec.groupId() + "-warmup", Map.of(new TopicPartition(spec.topic(), 0), new OffsetAndMetadata(0)))
                    .all().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** The cluster's settings: adaptive scheduler that rescales at once, REST on a free port, the reporter on {@code promPort}. */
    static Configuration clusterConfig(int promPort, boolean adaptive) {
        Configuration conf = new Configuration();
        conf.setString("jobmanager.scheduler", adaptive ? "adaptive" : "default");
        // Rescale as soon as the requirements change (default: wait 30 s between rescales).
        conf.setString("jobmanager.adaptive-scheduler.scaling-interval.min", "0s");
        conf.setString("rest.address", "127.0.0.1");
        conf.setString("rest.bind-address", "127.0.0.1");
        conf.setString("rest.port", "0");
        conf.setString("rest.bind-port", "0");
        conf.setString("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        // One free port, not the usual 9250-9260 range, so concurrent test JVMs on one machine never share one.
        conf.setString("metrics.reporter.prom.port", Integer.toString(promPort));
        return conf;
    }

    private static JobGraph jobGraph(Spec spec, boolean costWaits) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.setParallelism(spec.parallelism());
        env.enableCheckpointing(spec.checkpointInterval().toMillis());
        KafkaSource<byte[]> source = KafkaSource.<byte[]>builder()
                .setBootstrapServers(spec.bootstrapServers())
                .setTopics(spec.topic())
                .setGroupId(spec.groupId())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(KafkaRecordDeserializationSchema.valueOnly(ByteArrayDeserializer.class))
                .build();
        // Record timestamps are Kafka's; idle subtasks (more subtasks than partitions) do not hold the watermark back.
        WatermarkStrategy<byte[]> watermarks = WatermarkStrategy.<byte[]>forMonotonousTimestamps().withIdleness(Duration.ofSeconds(5));
        env.fromSource(source, watermarks, "kafka_source")
                .rebalance()
                .map(costWaits ? new WaitMap(spec.costPerRecord().toNanos()) : new SpinMap(spec.costPerRecord().toNanos())).name("work")
                .sinkTo(new DiscardingSink<>()).name("discard");
        StreamGraph streamGraph = env.getStreamGraph();
        streamGraph.setJobName(spec.jobName());
        JobGraph graph = streamGraph.getJobGraph();
        graph.setJobID(new JobID());
        return graph;
    }

    /** The map: spins {@code nanos} of CPU per record, so a record costs what a real transformation would. */
    static final class SpinMap implements org.apache.flink.api.common.functions.MapFunction<byte[], byte[]> {
        private static final long serialVersionUID = 1L;
        private final long nanos;

        SpinMap(long nanos) {
            this.nanos = nanos;
        }

        @Override
        public byte[] map(byte[] value) {
            if (nanos > 0) {
                long until = System.nanoTime() + nanos;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
            return value;
        }
    }

    /**
     * The map: waits {@code nanos} per record without using CPU, as a call to an external service would. A park
     * oversleeps by tens of microseconds, more on a loaded machine, which per record took 10–30 % off a subtask's
     * capacity, differently on every run. So while records come back to back (the next call within
     * {@link #BACK_TO_BACK_NANOS} of the last return: input was queued) the waits follow a schedule that advances by
     * exactly {@code nanos} per record, and a late wake-up is made up by the next record: a saturated subtask
     * handles exactly 1 s ÷ {@code nanos} records per second. A record that arrives after a pause waits its full
     * cost, so an underloaded subtask's busy time stays rate × cost.
     */
    static final class WaitMap implements org.apache.flink.api.common.functions.MapFunction<byte[], byte[]> {
        private static final long serialVersionUID = 1L;
        static final long BACK_TO_BACK_NANOS = 1_000_000;
        private final long nanos;
        private transient long deadline;
        private transient long returnedAt;
        private transient boolean started;

        WaitMap(long nanos) {
            this.nanos = nanos;
        }

        @Override
        public byte[] map(byte[] value) {
            long now = System.nanoTime();
            boolean backToBack = started && now - returnedAt <= BACK_TO_BACK_NANOS;
            // Never more credit than one record's cost, whatever happened before.
            deadline = (backToBack && now - deadline < nanos ? deadline : now) + nanos;
            started = true;
            for (long left = deadline - now; left > 0; left = deadline - System.nanoTime()) {
                java.util.concurrent.locks.LockSupport.parkNanos(left);
            }
            returnedAt = System.nanoTime();
            return value;
        }
    }

    public Spec spec() {
        return spec;
    }

    /** The REST API's base address, e.g. {@code http://127.0.0.1:41234} (no trailing slash). */
    public URI restAddress() {
        return restAddress;
    }

    /** The job's id as Flink's REST API spells it (32 hex digits). */
    public String jobId() {
        return jobId.toHexString();
    }

    /** The job's vertex ids (source first), as the REST API and resource requirements spell them. */
    public List<String> vertexIds() {
        return vertexIds;
    }

    /** {@code host:port} of Flink's Prometheus reporter, for a scrape config. */
    public String prometheusTarget() {
        return "127.0.0.1:" + prometheusPort;
    }

    /** The running Flink's version, e.g. 1.20.3. */
    public static String flinkVersion() {
        return EnvironmentInformation.getVersion();
    }

    public JobStatus status() throws Exception {
        return cluster.getJobStatus(jobId).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The largest current parallelism of the job's vertices, read from the JobManager's execution graph (not REST). */
    public int parallelism() throws Exception {
        AccessExecutionGraph g = cluster.getExecutionGraph(jobId).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        int max = 0;
        for (AccessExecutionJobVertex v : g.getAllVertices().values()) {
            max = Math.max(max, v.getParallelism());
        }
        return max;
    }

    /** Waits until the job is RUNNING. */
    public void awaitRunning(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobStatus s = status();
        while (s != JobStatus.RUNNING) {
            if (s.isGloballyTerminalState() || System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + spec.jobName() + " is " + s + ", not RUNNING");
            }
            Thread.sleep(50);
            s = status();
        }
    }

    /** Waits until the job is RUNNING at {@code parallelism}; returns how long that took. */
    public Duration awaitParallelism(int parallelism, Duration timeout) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (status() != JobStatus.RUNNING || parallelism() != parallelism) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + spec.jobName() + " is " + status() + " at parallelism " + parallelism()
                        + ", not RUNNING at " + parallelism + " after " + timeout);
            }
            Thread.sleep(20);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Stops the TaskManager, as deleting its pod would: the job loses every slot, fails over and waits for
     * resources (adaptive scheduler), processing nothing until {@link #startTaskManager()}. No-op when stopped.
     */
    public synchronized void stopTaskManager() throws Exception {
        if (taskManagerUp) {
            cluster.terminateTaskManager(taskManagerIndex).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            taskManagerUp = false;
        }
    }

    /**
     * Starts a new TaskManager with {@link Spec#slots()} slots, as a new pod would; the job restores from its
     * last checkpoint at the parallelism its resource requirements allow. No-op when one is running.
     */
    public synchronized void startTaskManager() throws Exception {
        if (!taskManagerUp) {
            cluster.startTaskManager();
            // MiniCluster appends the new TaskManager and keeps the stopped one in its list.
            taskManagerIndex++;
            taskManagerUp = true;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        try {
            cluster.cancelJob(jobId).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception alreadyGone) {
            // finished, failed or never submitted: closing the cluster is what matters
        }
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the MiniCluster of " + spec.jobName(), e);
        }
    }
}

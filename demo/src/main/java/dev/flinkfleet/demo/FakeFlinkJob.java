package dev.flinkfleet.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpServer;

import dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentView;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeployments;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Stands in for a running Flink job: a real Kafka consumer group whose worker count follows the
 * FlinkDeployment's {@code spec.taskManager.replicas} as read from the API server. Like a reactive-mode job:
 * <ul>
 * <li>every worker (one slot) processes at most {@code recordsPerSecondPerWorker};</li>
 * <li>while the operator reports the job restarting, nothing is consumed and no metrics are served;</li>
 * <li>offsets are committed only every checkpoint interval, and a restart resumes from the last commit, so
 * records read since then are read again;</li>
 * <li>metrics are served in Prometheus text format with the names and labels of Flink's Prometheus reporter.</li>
 * </ul>
 */
public final class FakeFlinkJob implements DemoJob {

    private static final Logger LOG = LoggerFactory.getLogger(FakeFlinkJob.class);
    private static final long CONTROL_PERIOD_MS = 200;
    private static final long RATE_WINDOW_MS = 2000;

    /**
     * @param name                       FlinkDeployment name; also the consumer group and the job_name label
     * @param namespace                  its namespace
     * @param topic                      topic read
     * @param recordsPerSecondPerWorker  one worker's processing capacity
     * @param checkpointInterval         how often offsets are committed
     */
    public record Settings(String name, String namespace, String topic, double recordsPerSecondPerWorker,
                           Duration checkpointInterval) {
    }

    private final Settings settings;
    private final KubernetesClient client;
    private final String bootstrapServers;
    private final Clock clock;
    private final HttpServer http;
    private final ExecutorService httpExecutor = Executors.newSingleThreadExecutor(daemon("fake-flink-metrics"));
    private final Thread controller;
    private final List<Worker> workers = new ArrayList<>();
    private volatile List<Worker> live = List.of();
    private volatile boolean closed;
    private int attempt;
    private final AtomicLong processed = new AtomicLong();

    public FakeFlinkJob(Settings settings, KubernetesClient client, String bootstrapServers, Clock clock) throws IOException {
        this.settings = settings;
        this.client = client;
        this.bootstrapServers = bootstrapServers;
        this.clock = clock;
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.setExecutor(httpExecutor);
        http.createContext("/metrics", exchange -> {
            byte[] body = render().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        this.controller = daemon("fake-flink-" + settings.name()).newThread(this::control);
    }

    public void start() {
        http.start();
        controller.start();
    }

    @Override
    public String describe() {
        return "a stand-in for a Flink job: a Kafka consumer group whose size follows spec.taskManager.replicas, each consumer "
                + "throttled to " + Math.round(settings.recordsPerSecondPerWorker()) + " records/s, exporting Flink-named metrics";
    }

    @Override
    public int workers() {
        return runningWorkers();
    }

    /** {@code host:port} of the metrics endpoint, for a scrape config. */
    @Override
    public String metricsTarget() {
        return "127.0.0.1:" + http.getAddress().getPort();
    }

    /** Workers consuming now (0 while restarting). */
    public int runningWorkers() {
        return live.size();
    }

    @Override
    public String processedMeans() {
        return "replays after restarts included";
    }

    /** Records processed so far, replays after restarts included. */
    @Override
    public long processedRecords() {
        return processed.get();
    }

    /** Follows the deployment: restart the workers whenever the desired count or the running state changes. */
    private void control() {
        while (!closed) {
            try {
                int desired = desiredWorkers();
                boolean failed = workers.stream().anyMatch(w -> !w.thread.isAlive());
                if (failed) {
                    // A task failed: Flink restarts the whole job from the last checkpoint.
                    LOG.warn("{}: a worker failed; restarting the job", settings.name());
                    stopWorkers();
                    Thread.sleep(1000);
                }
                if (desired != workers.size()) {
                    stopWorkers();
                    if (desired > 0) {
                        attempt++;
                        for (int i = 0; i < desired; i++) {
                            Worker w = new Worker(i, attempt);
                            workers.add(w);
                            w.thread.start();
                        }
                        LOG.debug("{}: running with {} workers (attempt {})", settings.name(), desired, attempt);
                    }
                    live = List.copyOf(workers);
                }
                Thread.sleep(CONTROL_PERIOD_MS);
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.warn("{}: control loop: {}", settings.name(), e.toString());
                }
                sleepQuietly(CONTROL_PERIOD_MS);
            }
        }
        stopWorkers();
        live = List.of();
    }

    /**
     * Workers the job should have now: 0 while the operator reports anything but a running job; the spec's
     * replicas once the operator has observed the current generation; the current count while a spec change
     * waits for the operator (the old job keeps running until it is upgraded).
     */
    private int desiredWorkers() {
        GenericKubernetesResource r = client.genericKubernetesResources(FlinkDeployments.CONTEXT)
                .inNamespace(settings.namespace()).withName(settings.name()).get();
        if (r == null) {
            return 0;
        }
        FlinkDeploymentView v = FlinkDeploymentView.of(r);
        if (!"RUNNING".equals(v.jobState())) {
            return 0;
        }
        if (v.generation() != null && !v.generation().equals(v.observedGeneration())) {
            return workers.size();
        }
        return v.taskManagerReplicas() == null ? 1 : Math.max(0, v.taskManagerReplicas());
    }

    private void stopWorkers() {
        workers.forEach(Worker::stop);
        for (Worker w : workers) {
            try {
                w.thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        workers.clear();
        live = List.of();
    }

    /** One parallel subtask: a consumer in the job's group, throttled to the per-worker capacity. */
    private final class Worker {
        final int subtask;
        final int attempt;
        final Thread thread;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private volatile boolean running = true;
        // Written by the worker thread, read by the metrics thread.
        private final AtomicLong records = new AtomicLong();
        private final AtomicLong busyNanos = new AtomicLong();
        private volatile long pending;
        private volatile long watermarkMs = Long.MIN_VALUE;
        // Rate window, touched only under the worker's own lock by the metrics thread.
        private long windowStartNanos = System.nanoTime();
        private long windowRecords;
        private long windowBusy;
        private double rate;
        private double busyMsPerSecond;

        Worker(int subtask, int attempt) {
            this.subtask = subtask;
            this.attempt = attempt;
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.name());
            // Flink's Kafka source assigns partitions itself, but the group protocol gives the same even spread.
            p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
            p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, org.apache.kafka.clients.consumer.RoundRobinAssignor.class.getName());
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            // A small batch keeps the throttle smooth.
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(1, (int) (settings.recordsPerSecondPerWorker() / 10)));
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.name() + "-" + attempt + "-" + subtask);
            this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            this.thread = daemon("fake-flink-" + settings.name() + "-" + subtask).newThread(this::run);
        }

        void stop() {
            running = false;
            consumer.wakeup();
        }

        private void run() {
            long nanosPerRecord = (long) (1e9 / settings.recordsPerSecondPerWorker());
            long checkpointNanos = settings.checkpointInterval().toNanos();
            long lastCheckpoint = System.nanoTime();
            try {
                consumer.subscribe(List.of(settings.topic()));
                while (running) {
                    ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
                    long maxTs = Long.MIN_VALUE;
                    for (ConsumerRecord<byte[], byte[]> rec : batch) {
                        maxTs = Math.max(maxTs, rec.timestamp());
                    }
                    int n = batch.count();
                    if (n > 0) {
                        // "Processing": each record costs 1/capacity seconds of this worker's time.
                        long cost = n * nanosPerRecord;
                        Thread.sleep(cost / 1_000_000, (int) (cost % 1_000_000));
                        records.addAndGet(n);
                        busyNanos.addAndGet(cost);
                        processed.addAndGet(n);
                    }
                    pending = lag();
                    // Caught up: the source is idle, so the watermark follows processing time (as with idleness).
                    watermarkMs = pending == 0 ? clock.millis() : (maxTs != Long.MIN_VALUE ? maxTs : watermarkMs);
                    if (System.nanoTime() - lastCheckpoint >= checkpointNanos) {
                        checkpoint();
                        lastCheckpoint = System.nanoTime();
                    }
                }
            } catch (WakeupException | InterruptedException stopping) {
                // stop() was called: leave without committing, as a cancelled Flink job does
            } catch (RuntimeException e) {
                LOG.warn("{} subtask {}: {}", settings.name(), subtask, e.toString());
            } finally {
                consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
            }
        }

        /** Commits the position of every assigned partition, as a completed checkpoint does. */
        private void checkpoint() {
            Set<TopicPartition> assigned = consumer.assignment();
            if (assigned.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (TopicPartition tp : assigned) {
                offsets.put(tp, new OffsetAndMetadata(consumer.position(tp)));
            }
            consumer.commitSync(offsets);
        }

        private long lag() {
            long sum = 0;
            for (TopicPartition tp : consumer.assignment()) {
                sum += consumer.currentLag(tp).orElse(0);
            }
            return sum;
        }

        /** Refreshes the per-second rates when the window is old enough; called by the metrics thread. */
        synchronized void refreshRates() {
            long now = System.nanoTime();
            long elapsed = now - windowStartNanos;
            if (elapsed < RATE_WINDOW_MS * 1_000_000 && rate > 0) {
                return;
            }
            long r = records.get();
            long b = busyNanos.get();
            double seconds = Math.max(1e-3, elapsed / 1e9);
            rate = (r - windowRecords) / seconds;
            busyMsPerSecond = Math.min(1000, (b - windowBusy) / 1e6 / seconds);
            windowRecords = r;
            windowBusy = b;
            windowStartNanos = now;
        }
    }

    static final String OUT_RATE = "flink_taskmanager_job_task_operator_numRecordsOutPerSecond";
    static final String PENDING = "flink_taskmanager_job_task_operator_pendingRecords";
    static final String BUSY = "flink_taskmanager_job_task_busyTimeMsPerSecond";
    static final String WATERMARK = "flink_taskmanager_job_task_operator_currentInputWatermark";
    // Flink's reporter replaces characters outside [A-Za-z0-9_:] by '_': "Source: Kafka" -> "Source__Kafka".
    static final String TASK = "Source__Kafka____Enrich____Sink__Writer";
    static final String SOURCE_OPERATOR = "Source__Kafka";
    static final String SINK_OPERATOR = "Sink__Writer";

    /** The exposition text: one chained task (source -> enrich -> sink) per subtask of the running attempt. */
    String render() {
        List<Worker> ws = live;
        StringBuilder out = new StringBuilder(4096);
        StringBuilder rate = new StringBuilder();
        StringBuilder pending = new StringBuilder();
        StringBuilder busy = new StringBuilder();
        StringBuilder wm = new StringBuilder();
        for (Worker w : ws) {
            w.refreshRates();
            String task = taskLabels(w);
            String src = task + ",operator_id=\"" + hex(SOURCE_OPERATOR) + "\",operator_name=\"" + SOURCE_OPERATOR + "\"";
            String sink = task + ",operator_id=\"" + hex(SINK_OPERATOR) + "\",operator_name=\"" + SINK_OPERATOR + "\"";
            rate.append(OUT_RATE).append('{').append(src).append("} ").append(w.rate).append('\n');
            rate.append(OUT_RATE).append('{').append(sink).append("} ").append(w.rate).append('\n');
            pending.append(PENDING).append('{').append(src).append("} ").append(w.pending).append('\n');
            busy.append(BUSY).append('{').append(task).append("} ").append(w.busyMsPerSecond).append('\n');
            wm.append(WATERMARK).append('{').append(sink).append("} ").append((double) w.watermarkMs).append('\n');
        }
        family(out, OUT_RATE, rate);
        family(out, PENDING, pending);
        family(out, BUSY, busy);
        family(out, WATERMARK, wm);
        return out.toString();
    }

    private static void family(StringBuilder out, String name, StringBuilder lines) {
        out.append("# HELP ").append(name).append(' ').append(name).append(" (fake Flink job)\n");
        out.append("# TYPE ").append(name).append(" gauge\n");
        out.append(lines);
    }

    private String taskLabels(Worker w) {
        String n = settings.name().replaceAll("[^A-Za-z0-9_:]", "_");
        return "host=\"127_0_0_1\",tm_id=\"" + n + "_taskmanager_" + w.attempt + "_" + w.subtask + "\""
                + ",job_id=\"" + hex(settings.name()) + "\",job_name=\"" + n + "\""
                + ",task_id=\"" + hex(settings.name() + TASK) + "\",task_name=\"" + TASK + "\""
                + ",task_attempt_id=\"" + hex(settings.name() + "/" + w.attempt + "/" + w.subtask) + "\""
                + ",task_attempt_num=\"" + w.attempt + "\",subtask_index=\"" + w.subtask + "\"";
    }

    private static String hex(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        controller.interrupt();
        try {
            controller.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.stop(0);
        httpExecutor.shutdownNow();
    }
}

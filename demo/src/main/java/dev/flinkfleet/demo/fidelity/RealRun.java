package dev.flinkfleet.demo.fidelity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.autoscaler.daemon.Daemon;
import dev.flinkfleet.demo.TraceProducer;
import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.testkit.EmbeddedKafka;
import dev.flinkfleet.testkit.PrometheusServer;
import dev.flinkfleet.testkit.flink.FlinkJob;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The real side: an embedded Kafka broker, the real Flink job (MiniCluster, adaptive scheduler), the real
 * Prometheus scraping Flink's reporter, and the unchanged daemon governing the job through Flink's REST API
 * (Kubernetes off), on its own schedule. The trace is produced into the topic in real time; a sampler reads
 * the job's parallelism and Kafka's offsets every half second. Everything stays up after {@link #run} so the
 * replay can record the topic and calibrate from Prometheus.
 */
public final class RealRun implements AutoCloseable {

    public static final String NAMESPACE = "fidelity";
    /** Flink job name, consumer group and Prometheus job_name (no characters the reporter would rewrite). */
    public static final String JOB = "fidelity_job";
    public static final String TOPIC = "fidelity-in";
    private static final long SAMPLE_MS = 500;
    /**
     * Network buffers sized to about a second of throughput, as a production job with small records and an
     * expensive operator is run: with 32 KB buffers of 64-byte records, tens of seconds of input sit in flight
     * between the source and the map, aligned checkpoints wait behind them and offsets stop being committed.
     */
    static final Map<String, String> FLINK_SETTINGS = Map.of("taskmanager.network.memory.buffer-debloat.enabled", "true");

    private final FidelitySettings settings;
    private final Path dir;
    private final Consumer<String> log;
    private final List<AutoCloseable> open = new ArrayList<>();
    private EmbeddedKafka kafka;
    private FlinkJob flink;
    private PrometheusServer prometheus;
    private Config daemonConfig;
    private Instant start;
    private double pendingCap = Double.NaN;

    public RealRun(FidelitySettings settings, Path dir, Consumer<String> log) {
        this.settings = settings;
        this.dir = dir;
        this.log = log;
    }

    /** Starts Kafka, Flink at parallelism 1 and Prometheus. */
    public void startEnvironment(Path prometheusBinary) throws Exception {
        kafka = track(EmbeddedKafka.start());
        kafka.createTopic(TOPIC, settings.partitions());
        flink = track(FlinkJob.start(new FlinkJob.Spec(JOB, kafka.bootstrapServers(), TOPIC, JOB, 1, FidelitySettings.MAX_WORKERS,
                settings.costPerRecord(), settings.checkpointInterval(), true), true, FLINK_SETTINGS));
        prometheus = track(PrometheusServer.start(prometheusBinary, List.of(flink.prometheusTarget()), settings.scrapeInterval()));
        Path policies = dir.resolve("policies");
        Files.createDirectories(policies);
        Files.writeString(policyFile(), settings.policyFile(NAMESPACE));
        daemonConfig = ConfigFactory.parseString(daemonConfigText(policies)).withFallback(ConfigFactory.defaultReference()).resolve();
        log.accept("Flink " + FlinkJob.flinkVersion() + ", job " + flink.jobId() + " at " + flink.restAddress()
                + "; Prometheus " + prometheus.url() + "; Kafka " + kafka.bootstrapServers());
    }

    public Path policyFile() {
        return dir.resolve("policies").resolve("fidelity.conf");
    }

    public Config daemonConfig() {
        return daemonConfig;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public FlinkJob flink() {
        return flink;
    }

    /** What the source typically reported as pendingRecords while records waited (median), NaN when unknown. */
    public double pendingCap() {
        return pendingCap;
    }

    /** When the trace began. */
    public Instant start() {
        return start;
    }

    private String daemonConfigText(Path policies) {
        long growth = settings.growthWindow().toSeconds();
        long scrape = settings.scrapeInterval().toSeconds();
        return """
                flinkfleet.daemon {
                  policies-dir = "%s"
                  interval = %dms
                  http { bind-address = "127.0.0.1", port = 0 }
                  leader-election.enabled = false
                  kafka-clusters { local { bootstrap-servers = "%s" } }
                  default-kafka-cluster = "local"
                }
                flinkfleet.kubernetes.enabled = false
                flinkfleet.flink-rest.clusters { %s { url = "%s" } }
                flinkfleet.prometheus {
                  url = "%s"
                  window = %ds
                  step = %ds
                  stale-after = 30s
                }
                flinkfleet.kafka {
                  rate-window = %ds
                  growth-window = %ds
                  stale-after = 30s
                }
                """.formatted(policies.toString().replace("\\", "\\\\"), settings.controlInterval().toMillis(), kafka.bootstrapServers(),
                NAMESPACE, flink.restAddress(), prometheus.url().toString().replaceAll("/$", ""), growth, scrape,
                FidelitySettings.FLINK_METER_SECONDS, growth);
    }

    /** Produces the trace in real time under the daemon; returns what happened. */
    public Outcome run() throws Exception {
        List<JobTimeline.Sample> samples = Collections.synchronizedList(new ArrayList<>());
        List<Outcome.Rescale> rescales = Collections.synchronizedList(new ArrayList<>());
        double duration = settings.load().durationSeconds();
        try (KubernetesClient unused = nowhere();
             TraceProducer producer = new TraceProducer(kafka.bootstrapServers(), TOPIC, settings.partitions(), settings.load());
             Admin admin = Admin.create(kafka.adminConfig())) {
            Daemon daemon = Daemon.create(daemonConfig, unused, Clock.systemUTC());
            try {
                daemon.addListener(new CycleListener() {
                    @Override
                    public void onJob(JobOutcome o) {
                        double t = (o.decision().at().toEpochMilli() - start.toEpochMilli()) / 1000.0;
                        if (o.applied()) {
                            rescales.add(new Outcome.Rescale(t, o.decision().currentWorkers(), o.decision().targetWorkers()));
                        }
                        log.accept(String.format(java.util.Locale.ROOT, "%6.1fs %s %s", t, o.applied() ? "RESCALE" : "hold   ",
                                o.decision().summary()));
                    }
                });
                start = Instant.now();
                producer.start();
                daemon.start();
                List<TopicPartition> tps = new ArrayList<>();
                for (int p = 0; p < settings.partitions(); p++) {
                    tps.add(new TopicPartition(TOPIC, p));
                }
                long next = System.nanoTime();
                while (producer.elapsedSeconds() < duration) {
                    samples.add(sample(admin, tps));
                    next += SAMPLE_MS * 1_000_000;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            } finally {
                daemon.close();
            }
        }
        // Let Prometheus scrape the end of the run before it is read back.
        Thread.sleep(settings.scrapeInterval().toMillis() * 2 + 500);
        return outcome(List.copyOf(samples), List.copyOf(rescales), duration);
    }

    private JobTimeline.Sample sample(Admin admin, List<TopicPartition> tps) throws Exception {
        double t = (System.currentTimeMillis() - start.toEpochMilli()) / 1000.0;
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        tps.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(JOB).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        long end = 0;
        long done = 0;
        for (TopicPartition tp : tps) {
            end += ends.get(tp).offset();
            OffsetAndMetadata c = committed.get(tp);
            done += c == null ? 0 : c.offset();
        }
        FlinkScrape scrape = FlinkScrape.read(http, flink.prometheusTarget());
        return new JobTimeline.Sample(t, flink.parallelism(), end, done, scrape.processed(), scrape.pending());
    }

    private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Outcome outcome(List<JobTimeline.Sample> samples, List<Outcome.Rescale> rescales, double duration) {
        List<JobTimeline.Point> points = JobTimeline.derive(samples);
        writeSamples(samples, points);
        pendingCap = JobTimeline.pendingCap(samples, points);
        double maxBacklog = 0;
        double workerSeconds = 0;
        double over = 0;
        double maxLatency = 0;
        for (int i = 0; i < points.size(); i++) {
            JobTimeline.Point p = points.get(i);
            double until = Math.min(i + 1 < points.size() ? points.get(i + 1).t() : duration, duration);
            double dt = Math.max(0, until - p.t());
            workerSeconds += p.parallelism() * dt;
            if (!Double.isNaN(p.backlog())) {
                maxBacklog = Math.max(maxBacklog, p.backlog());
                maxLatency = Math.max(maxLatency, p.latency());
                if (p.latency() > settings.slaSeconds()) {
                    over += dt;
                }
            }
        }
        return new Outcome(rescales, maxBacklog, over, workerSeconds, maxLatency);
    }

    private void writeSamples(List<JobTimeline.Sample> samples, List<JobTimeline.Point> points) {
        StringBuilder b = new StringBuilder("t,parallelism,log_end,committed,processed,pending,backlog,latency\n");
        for (int i = 0; i < samples.size(); i++) {
            JobTimeline.Sample s = samples.get(i);
            JobTimeline.Point p = points.get(i);
            b.append(String.format(java.util.Locale.ROOT, "%.2f,%d,%d,%d,%.0f,%.0f,%.0f,%.2f%n", s.t(), s.parallelism(), s.logEnd(), s.committed(),
                    s.processed(), s.pending(), p.backlog(), p.latency()));
        }
        try {
            Files.writeString(dir.resolve("real-samples.csv"), b);
        } catch (java.io.IOException e) {
            log.accept("cannot write real-samples.csv: " + e);
        }
    }

    /** A client whose API server does not exist: with Kubernetes off the daemon never calls it. */
    private static KubernetesClient nowhere() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + closed)
                .withRequestTimeout(500).withConnectionTimeout(500).build()).build();
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    @Override
    public void close() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                log.accept("closing: " + e);
            }
        }
    }
}

package dev.flinkfleet.autoscaler.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.testkit.EmbeddedKafka;
import dev.flinkfleet.testkit.PrometheusServer;
import dev.flinkfleet.testkit.flink.FlinkJob;

/**
 * The shipped queries (reference.conf, unchanged) against a real Flink job: a MiniCluster running KafkaSource →
 * map → discarding sink on the embedded broker, its PrometheusReporter scraped by the real Prometheus. Every
 * signal must get a fresh value for the job. The stand-in exporter's names are checked by
 * {@link PrometheusIntegrationTest}; this is the check against Flink's own. Skipped only without the
 * {@code prometheus} binary.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealFlinkQueriesTest {

    private static final String JOB = "queries_job";
    /** The real job's series carry the labels a PodMonitor copies from its FlinkDeployment's pods; results are keyed by them. */
    private static final String NAMESPACE = "streaming";
    private static final String DEPLOYMENT = "queries-job";
    private static final String KEY = SeriesKeys.deploymentKey(NAMESPACE, DEPLOYMENT);
    private static final String TOPIC = "queries-in";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Clock clock = Clock.systemUTC();
    private final AtomicBoolean producing = new AtomicBoolean(true);
    private EmbeddedKafka kafka;
    private FlinkJob flink;
    private PrometheusServer prometheus;
    private PrometheusClient client;
    private PrometheusSettings settings;
    private PromSignalReader reader;
    private Thread producer;

    @BeforeAll
    void start() throws Exception {
        Optional<Path> binary = PrometheusServer.findBinary();
        Assumptions.assumeTrue(binary.isPresent(), "prometheus binary not found (PATH or $PROMETHEUS_BIN)");
        kafka = EmbeddedKafka.start();
        kafka.createTopic(TOPIC, 2);
        flink = FlinkJob.start(FlinkJob.Spec.of(JOB, kafka.bootstrapServers(), TOPIC).withCostPerRecord(Duration.ofNanos(100_000)));
        // A steady trickle, so rates, busy time and watermarks move (records carry CreateTime = now).
        producer = new Thread(() -> {
            while (producing.get()) {
                kafka.produce(TOPIC, 0, 50);
                kafka.produce(TOPIC, 1, 50);
                sleep(100);
            }
        }, "queries-producer");
        producer.setDaemon(true);
        producer.start();
        prometheus = PrometheusServer.startLabelled(binary.get(), Map.of(flink.prometheusTarget(), Map.of("namespace", NAMESPACE, "app", DEPLOYMENT)),
                Duration.ofSeconds(1));
        settings = PrometheusSettings.fromConfig(ConfigFactory.parseString(
                        "flinkfleet.prometheus { url = \"" + prometheus.url() + "\", timeout = 5s, stale-after = 20s, window = 10s, step = 1s }")
                .withFallback(ConfigFactory.defaultReference()));
        client = new PrometheusClient(settings.client(), clock);
        reader = new PromSignalReader(client, settings);
    }

    @AfterAll
    void stop() throws Exception {
        producing.set(false);
        if (producer != null) {
            producer.join(5_000);
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (flink != null) {
            flink.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyShippedQueryGivesTheRealJobAFreshValue() {
        Set<SignalKind> all = EnumSet.copyOf(settings.queries().bySignal().keySet());
        assertEquals(EnumSet.complementOf(EnumSet.of(SignalKind.BACKLOG_TIME)), all, "a query per Prometheus signal is shipped");
        PromSnapshot snap = awaitSnapshot("every signal has a fresh value, with records flowing", s -> all.stream().allMatch(k -> {
            Measurement m = s.measurement(k, KEY);
            return m.quality() == Quality.FRESH && Double.isFinite(m.value());
        }) && s.measurement(SignalKind.THROUGHPUT, KEY).value() > 0 && s.measurement(SignalKind.CPU, KEY).value() > 0);

        assertTrue(snap.problems().isEmpty(), snap.problems().toString());
        assertEquals(Set.of(KEY), snap.jobs(), "keyed by namespace/FlinkDeployment, not by the job name");
        assertEquals(snap.observation(KEY), snap.observation(new dev.flinkfleet.policies.JobRef(NAMESPACE, DEPLOYMENT), JOB));
        double throughput = snap.measurement(SignalKind.THROUGHPUT, KEY).value();
        double cpu = snap.measurement(SignalKind.CPU, KEY).value();
        double watermarkLag = snap.measurement(SignalKind.WATERMARK_LAG, KEY).value();
        double backlog = snap.measurement(SignalKind.BACKLOG, KEY).value();
        double inputRate = snap.measurement(SignalKind.INPUT_RATE, KEY).value();
        System.out.printf("real Flink %s job %s: throughput %.1f/s, busy %.3f, watermark lag %.1f s, pendingRecords %.0f, input rate %.1f/s%n",
                FlinkJob.flinkVersion(), flink.jobId(), throughput, cpu, watermarkLag, backlog, inputRate);
        assertTrue(cpu > 0 && cpu <= 1, "busy fraction " + cpu);
        // Records are stamped when produced and the job keeps up: the sink's watermark trails by seconds.
        assertTrue(watermarkLag >= 0 && watermarkLag < 30, "watermark lag " + watermarkLag);
        assertTrue(backlog >= 0, "pendingRecords " + backlog);
        assertTrue(inputRate > 0, "input rate " + inputRate);
    }

    @Test
    void theOldSinkNamePatternMissesARealSink() {
        awaitTrue("the sink's input watermark is scraped", () -> !client.query(
                "flink_taskmanager_job_task_operator_currentInputWatermark{job_name=\"" + JOB + "\", operator_name=\"discard:_Writer\"} > 0").isEmpty());
        // What the watermark query selected before: nothing, so the signal was silently missing.
        assertTrue(client.query("flink_taskmanager_job_task_operator_currentInputWatermark{job_name=\"" + JOB + "\", operator_name=~\"Sink.*\"}").isEmpty());
        // A real source has no input watermark: excluding sources loses nothing.
        assertTrue(client.query("flink_taskmanager_job_task_operator_currentInputWatermark{job_name=\"" + JOB + "\", operator_name=~\"Source.*\"}").isEmpty());
    }

    private PromSnapshot awaitSnapshot(String what, java.util.function.Predicate<PromSnapshot> done) {
        PromSnapshot[] last = new PromSnapshot[1];
        try {
            awaitTrue(what, () -> {
                last[0] = reader.read(clock.instant());
                return done.test(last[0]);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nlast snapshot: " + (last[0] == null ? null : last[0].samples()), e);
        }
        return last[0];
    }

    private void awaitTrue(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            sleep(250);
        }
        throw new AssertionError("timed out after " + WAIT + " waiting for: " + what + "\nprometheus log:\n" + prometheus.logTail());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

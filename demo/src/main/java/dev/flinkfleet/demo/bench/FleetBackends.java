package dev.flinkfleet.demo.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.flinkfleet.autoscaler.kubernetes.FlinkDeployments;
import dev.flinkfleet.testkit.EmbeddedKafka;
import dev.flinkfleet.testkit.FlinkDeploymentCrd;
import dev.flinkfleet.testkit.PrometheusServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * The backends of {@code bench fleet}, in a JVM of their own so the daemon's heap, RSS and allocation are measured
 * alone: a real KRaft broker with the fleet's topics and consumer groups, fabric8's mock API server (CRUD, the
 * operator's CRD) holding the FlinkDeployments, the Flink-series exporter and the real Prometheus scraping it.
 *
 * <p>A line protocol on stdin/stdout: it prints {@code READY key=value ...} once everything stands, then answers
 * {@code move} (produce to every partition and commit new offsets for a tenth of the groups: lag moves between
 * cycles) with {@code MOVED ms}, {@code counts} with the Kubernetes requests served since the last one, and exits
 * on {@code quit} or end of input. Progress goes to stderr.
 */
public final class FleetBackends {

    /** Held so the level sticks: the mock server logs every request at INFO through java.util.logging. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    /** Consumer-group commits in flight at once: more only queues inside the Admin client. */
    private static final int COMMIT_CHUNK = 2_000;

    private final FleetShape shape;
    private final PrintStream log = System.err;
    private final Map<TopicPartition, Long> ends = new HashMap<>();
    private EmbeddedKafka kafka;
    private KafkaProducer<byte[], byte[]> producer;
    private KubernetesMockServer server;
    private KubernetesRequestCounter requests;
    private NamespacedKubernetesClient client;
    private FlinkSeriesExporter exporter;
    private PrometheusServer prometheus;
    private int moves;
    private boolean closed;

    private FleetBackends(FleetShape shape) {
        this.shape = shape;
    }

    /** Args: jobs topics partitions scrape-interval-ms prometheus-binary. */
    public static void main(String[] args) throws Exception {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        FleetShape shape = new FleetShape(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        Duration scrape = Duration.ofMillis(Long.parseLong(args[3]));
        PrintStream out = System.out;
        FleetBackends b = new FleetBackends(shape);
        // Killed rather than told to quit: still stop the Prometheus child process.
        Runtime.getRuntime().addShutdownHook(new Thread(b::close, "backends-shutdown"));
        try {
            out.println("READY " + b.start(scrape, Path.of(args[4])));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null && !line.trim().equals("quit"); ) {
                switch (line.trim()) {
                    case "move" -> {
                        long t0 = System.nanoTime();
                        b.move();
                        out.println("MOVED " + (System.nanoTime() - t0) / 1_000_000);
                    }
                    case "counts" -> out.println("COUNTS " + b.requests.takeCounts());
                    default -> out.println("ERROR unknown command '" + line + "'");
                }
                out.flush();
            }
        } catch (Exception | Error e) {
            e.printStackTrace();
            out.println("ERROR " + e);
            out.flush();
            b.close();
            System.exit(1);
        }
        b.close();
        System.exit(0);
    }

    private String start(Duration scrape, Path prometheusBinary) throws Exception {
        long t0 = System.nanoTime();
        kafka = EmbeddedKafka.start();
        List<String> topics = new ArrayList<>();
        for (int t = 0; t < shape.topics(); t++) {
            topics.add(String.format(java.util.Locale.ROOT, "topic-%03d", t));
        }
        kafka.createTopics(topics, shape.partitions());
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        // Not idempotent: on a loaded machine a retried first batch is refused as out of sequence; a duplicate
        // record only moves the log end one further, which the bench does not mind.
        pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        pp.put(ProducerConfig.ACKS_CONFIG, "1");
        pp.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        pp.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        pp.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 120_000);
        producer = new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer());
        long kafkaReady = System.nanoTime();
        produceEverywhere(50);
        commitGroups(0, 1);
        long groupsReady = System.nanoTime();
        log.printf("backends: Kafka broker, %d topics x %d partitions, %d groups committed in %d ms%n", shape.topics(), shape.partitions(),
                shape.jobs(), (groupsReady - t0) / 1_000_000);

        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(List.of()), false);
        server.init();
        client = server.createClient();
        requests = new KubernetesRequestCounter(server);
        FlinkDeploymentCrd.install(client);
        createDeployments();
        long k8sReady = System.nanoTime();
        log.printf("backends: %d FlinkDeployments created in %d ms%n", shape.jobs(), (k8sReady - groupsReady) / 1_000_000);

        exporter = new FlinkSeriesExporter(shape);
        prometheus = PrometheusServer.start(prometheusBinary, List.of(exporter.target()), scrape);
        // Two scrapes, so rates and deriv() have points before the first cycle.
        awaitScrapes(2, scrape);
        long promReady = System.nanoTime();
        log.printf("backends: Prometheus scraping %d series every %s, ready in %d ms%n", 4L * shape.jobs(), scrape,
                (promReady - k8sReady) / 1_000_000);
        requests.takeCounts();
        return "kafka=" + kafka.bootstrapServers() + " kubernetes=" + client.getMasterUrl() + " prometheus=" + prometheus.url()
                + " setup-kafka-ms=" + (groupsReady - t0) / 1_000_000 + " setup-kubernetes-ms=" + (k8sReady - groupsReady) / 1_000_000
                + " setup-prometheus-ms=" + (promReady - k8sReady) / 1_000_000 + " topics-ms=" + (kafkaReady - t0) / 1_000_000;
    }

    /** Waits until Prometheus has ingested {@code n} scrapes of the exporter (its own scrape_samples_scraped count). */
    private void awaitScrapes(int n, Duration scrape) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI q = prometheus.url().resolve("/api/v1/query?query=count_over_time(up%5B10m%5D)");
        long deadline = System.nanoTime() + scrape.multipliedBy(n + 4).plusSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String body = http.send(java.net.http.HttpRequest.newBuilder(q).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"value\":\\[[^,]+,\"(\\d+)\"").matcher(body);
            if (m.find() && Integer.parseInt(m.group(1)) >= n) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Prometheus did not scrape the exporter " + n + " times; log:\n" + prometheus.logTail());
    }

    /** One FlinkDeployment per job, created from a few threads (the mock server serves them one at a time, but the round trips overlap). */
    private void createDeployments() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            int chunk = Math.max(1, shape.jobs() / 64);
            for (int from = 0; from < shape.jobs(); from += chunk) {
                int start = from;
                int end = Math.min(shape.jobs(), from + chunk);
                fs.add(pool.submit(() -> {
                    for (int i = start; i < end; i++) {
                        var op = client.genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(shape.namespace(i));
                        GenericKubernetesResource created = op.resource(deployment(i)).create();
                        // The CRD has a status subresource, so the server dropped the status sent with the object:
                        // write it the way the operator does, through /status.
                        created.setAdditionalProperty("status", status(created.getMetadata().getGeneration()));
                        op.resource(created).updateStatus();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The FlinkDeployment of job {@code i}: bound by annotation, its topic in another. */
    private GenericKubernetesResource deployment(int i) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("image", "registry.example.com/streaming/" + shape.name(i) + ":1.0.0");
        spec.put("flinkVersion", "v1_20");
        spec.put("flinkConfiguration", Map.of("taskmanager.numberOfTaskSlots", "1"));
        spec.put("jobManager", Map.of("replicas", 1, "resource", Map.of("cpu", 1, "memory", "2048m")));
        spec.put("taskManager", Map.of("replicas", shape.initialWorkers(i), "resource", Map.of("cpu", 1, "memory", "2048m")));
        spec.put("job", Map.of("jarURI", "local:///opt/flink/usrlib/job.jar", "upgradeMode", "savepoint", "state", "running"));
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(FlinkDeployments.API_VERSION).withKind(FlinkDeployments.KIND)
                .withNewMetadata().withNamespace(shape.namespace(i)).withName(shape.name(i)).withGeneration(1L)
                .withLabels(Map.of("app.kubernetes.io/name", shape.name(i), FlinkDeployments.PREFIX + "autoscale", "true"))
                .withAnnotations(Map.of(FlinkDeployments.ANNOTATION_APPLICATION, FleetShape.APPLICATION,
                        FlinkDeployments.PREFIX + "topics", shape.topic(i)))
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }

    /** Stable and running, as the operator reports a deployed job, with {@code generation} observed. */
    private static Map<String, Object> status(Long generation) {
        return Map.of("lifecycleState", "STABLE", "observedGeneration", generation == null ? 1L : generation,
                "reconciliationStatus", Map.of("state", "DEPLOYED"), "jobStatus", Map.of("state", "RUNNING"));
    }

    /** Appends {@code records} to every partition of every topic. */
    private void produceEverywhere(int records) {
        Map<TopicPartition, Integer> batch = new HashMap<>();
        for (int t = 0; t < shape.topics(); t++) {
            for (int p = 0; p < shape.partitions(); p++) {
                TopicPartition tp = new TopicPartition(String.format(java.util.Locale.ROOT, "topic-%03d", t), p);
                batch.put(tp, records);
            }
        }
        byte[] value = new byte[16];
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        batch.forEach((tp, n) -> {
            for (int i = 0; i < n; i++) {
                sent.add(producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), null, value)));
            }
        });
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            try {
                RecordMetadata m = f.get();
                ends.merge(new TopicPartition(m.topic(), m.partition()), m.offset() + 1, Math::max);
            } catch (Exception e) {
                throw new IllegalStateException("produce failed", e);
            }
        }
    }

    /**
     * Commits, for groups {@code g} with {@code g mod every == phase mod every}, offsets a job-dependent lag behind the log end:
     * overloaded jobs far behind, the others a few records.
     */
    private void commitGroups(int phase, int every) {
        Map<String, Map<TopicPartition, Long>> chunk = new HashMap<>();
        for (int i = 0; i < shape.jobs(); i++) {
            if (i % every != phase % every) {
                continue;
            }
            Map<TopicPartition, Long> offsets = new HashMap<>();
            for (int p = 0; p < shape.partitions(); p++) {
                TopicPartition tp = new TopicPartition(shape.topic(i), p);
                long end = ends.getOrDefault(tp, 0L);
                long lag = shape.overloaded(i) ? end * 9 / 10 : (i + moves) % 5;
                offsets.put(tp, Math.max(0, end - lag));
            }
            chunk.put(shape.name(i), offsets);
            if (chunk.size() >= COMMIT_CHUNK) {
                kafka.commitAll(chunk);
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            kafka.commitAll(chunk);
        }
    }

    private void move() {
        moves++;
        produceEverywhere(20);
        commitGroups(moves, 10);
    }

    private synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AutoCloseable c : new AutoCloseable[] {prometheus, exporter}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // shutting down
            }
        }
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroy();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        try {
            if (kafka != null) {
                kafka.close();
            }
        } catch (Exception e) {
            // shutting down
        }
    }
}

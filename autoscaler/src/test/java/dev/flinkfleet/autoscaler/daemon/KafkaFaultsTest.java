package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.autoscaler.testing.MockApiServer;
import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.autoscaler.testing.StallingProxy;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.testkit.EmbeddedKafka;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The Kafka rows of the fault matrix, with the whole daemon against the mock API server and real brokers: a
 * broker that accepts connections and never answers, clusters whose client cannot even be created, a broker
 * stopped and restarted mid-run, a deleted consumer group, added partitions and a group with no commits. In
 * every row: no scale-down on missing or failed data, no exception escapes the loop, jobs on healthy clusters
 * keep being decided and scaled, and the reason is visible (hold reason, /jobs, backend_up, one log line).
 */
class KafkaFaultsTest {

    static final String NS = "streaming";
    static final int PARTITIONS = 8;
    /** Per-cycle Kafka deadline in these tests: a hung broker may cost this, plus scheduling slack. */
    static final long DEADLINE_MS = 2_000;

    static EmbeddedKafka kafka;
    static StallingProxy hung;

    MockApiServer api;
    KubernetesClient client;
    @TempDir
    Path dir;
    final List<Daemon> daemons = new ArrayList<>();
    FaultRecorder rec;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start();
        hung = StallingProxy.stalling();
    }

    @AfterAll
    static void stop() throws Exception {
        hung.close();
        kafka.close();
    }

    @BeforeEach
    void setUp() {
        api = MockApiServer.start();
        client = api.client();
        rec = new FaultRecorder();
    }

    @AfterEach
    void tearDown() {
        daemons.forEach(Daemon::close);
        rec.close();
        api.close();
    }

    @Test
    void hungBrokerCostsAtMostTheDeadlineAndHoldsOnlyItsJobs() throws Exception {
        job(kafka, "h-hot", 3, 480, null);
        job(kafka, "h-calm", 3, 0, null);
        deployment("h-stuck", 5, "hung");
        Daemon d = daemon(Map.of("local", kafka.bootstrapServers(), "hung", hung.address()));
        d.start();
        DaemonTestSupport.awaitWatched(d, 3);

        long t0 = System.nanoTime();
        Map<String, JobOutcome> first = DaemonTestSupport.byName(d.runCycleNow());
        long cycleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(cycleMs < DEADLINE_MS + 1_500, "a hung broker costs at most the deadline, cycle took " + cycleMs + " ms");

        assertEquals(5, first.get("h-hot").decision().targetWorkers(), first.get("h-hot").decision().summary());
        assertTrue(first.get("h-hot").applied(), "the job on the healthy cluster is scaled");
        assertEquals(5, FlinkDeploymentFixtures.replicas(client, NS, "h-hot"));
        JobOutcome stuck = first.get("h-stuck");
        assertEquals(ReasonCode.HOLD_BACKEND_UNAVAILABLE, stuck.decision().reason(), stuck.decision().summary());
        assertTrue(stuck.decision().summary().contains("Kafka cluster 'hung' unavailable"), stuck.decision().summary());
        assertEquals(5, FlinkDeploymentFixtures.replicas(client, NS, "h-stuck"));

        int port = d.httpPort();
        String board = rec.get(port, "/jobs");
        String detail = rec.get(port, "/jobs/" + NS + "/h-stuck");
        assertTrue(board.contains("\"lastReason\":\"HOLD_BACKEND_UNAVAILABLE\"") && board.contains("Kafka cluster 'hung' unavailable"), board);
        assertTrue(detail.contains("Kafka cluster 'hung' unavailable"), detail);
        assertEquals(0.0, rec.metric(port, "flinkfleet_backend_up{backend=\"kafka:hung\"}"));
        assertEquals(1.0, rec.metric(port, "flinkfleet_backend_up{backend=\"kafka:local\"}"));
        double age1 = rec.metric(port, "flinkfleet_backend_last_success_age_seconds{backend=\"kafka:hung\"}");
        double signalAge1 = rec.metric(port, "flinkfleet_signal_age_seconds{backend=\"kafka:hung\"}");
        assertTrue(age1 > 0 && signalAge1 > 0, "age " + age1 + ", signal age " + signalAge1);

        for (int i = 0; i < 2; i++) {
            t0 = System.nanoTime();
            Map<String, JobOutcome> next = DaemonTestSupport.byName(d.runCycleNow());
            cycleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(cycleMs < DEADLINE_MS + 1_500, "cycle took " + cycleMs + " ms");
            assertEquals(ReasonCode.HOLD_BACKEND_UNAVAILABLE, next.get("h-stuck").decision().reason());
            assertFalse(next.get("h-hot").failed(), "the healthy cluster's jobs keep being decided");
        }
        double age2 = rec.metric(port, "flinkfleet_backend_last_success_age_seconds{backend=\"kafka:hung\"}");
        assertTrue(age2 > age1, "the age grows while the broker hangs: " + age1 + " -> " + age2);
        assertEquals(0.0, rec.metric(port, "flinkfleet_backend_last_success_age_seconds{backend=\"kafka:local\"}"), 1.0);

        List<String> lines = rec.logLines("Kafka cluster 'hung' unavailable");
        assertEquals(1, lines.size(), "one line per state change, not per cycle: " + lines);
        assertTrue(lines.get(0).contains("configured at " + dir.resolve("daemon.conf")), lines.get(0));
        assertTrue(lines.get(0).contains("TimeoutException"), lines.get(0));
        assertNoWrongDirection();

        System.out.println("hung broker, log: " + lines.get(0));
        System.out.println("hung broker, /jobs/" + NS + "/h-stuck: " + detail.substring(0, Math.min(detail.length(), 1500)));
        System.out.println("hung broker, /jobs: " + board);
        System.out.println("hung broker, metrics: " + rec.get(port, "/metrics").lines()
                .filter(l -> l.contains("kafka:hung") && !l.startsWith("#")).collect(Collectors.joining(" | ")));
    }

    @Test
    void clusterWhoseClientCannotBeCreatedDoesNotStopTheDaemon() throws Exception {
        job(kafka, "c-hot", 3, 480, null);
        deployment("c-garbage", 5, "garbage");
        deployment("c-nohost", 5, "nohost");
        deployment("c-jaas", 5, "jaas");
        Daemon d = daemon(Map.of("local", kafka.bootstrapServers(), "garbage", "garbage", "nohost", "no-such-host.invalid:9092",
                "jaas", kafka.bootstrapServers()));
        d.start();
        DaemonTestSupport.awaitWatched(d, 4);

        Map<String, JobOutcome> out = DaemonTestSupport.byName(d.runCycleNow());
        assertTrue(out.get("c-hot").applied(), out.get("c-hot").decision().summary());
        for (String bad : List.of("garbage", "nohost", "jaas")) {
            JobOutcome o = out.get("c-" + bad);
            assertEquals(ReasonCode.HOLD_BACKEND_UNAVAILABLE, o.decision().reason(), o.decision().summary());
            assertTrue(o.decision().summary().contains("Kafka cluster '" + bad + "' unavailable"), o.decision().summary());
            List<String> lines = rec.logLines("Kafka cluster '" + bad + "' unavailable");
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("configured at " + dir.resolve("daemon.conf") + ":"), lines.get(0));
            System.out.println("start-up failure, log: " + lines.get(0));
        }
        assertTrue(rec.logLines("'garbage'").get(0).contains("garbage"), "names the bad bootstrap");
        assertTrue(rec.logLines("'nohost'").get(0).contains("No resolvable bootstrap urls"), rec.logLines("'nohost'").toString());
        DaemonTestSupport.byName(d.runCycleNow());
        assertEquals(1, rec.logLines("Kafka cluster 'garbage' unavailable").size(), "not logged again every cycle");
        assertNoWrongDirection();
    }

    @Test
    void brokerStoppedAndRestartedMidRun() throws Exception {
        EmbeddedKafka second = EmbeddedKafka.start();
        EmbeddedKafka restarted = null;
        try (StallingProxy front = StallingProxy.forwardingTo("127.0.0.1", port(second))) {
            job(second, "r-busy", 5, 480, "flaky");
            job(kafka, "r-other", 3, 480, null);
            Daemon d = daemon(Map.of("local", kafka.bootstrapServers(), "flaky", front.address()));
            d.start();
            DaemonTestSupport.awaitWatched(d, 2);
            Map<String, JobOutcome> before = DaemonTestSupport.byName(d.runCycleNow());
            assertEquals(ReasonCode.HOLD_IN_RANGE, before.get("r-busy").decision().reason(), before.get("r-busy").decision().summary());

            second.close();
            front.dropAll();
            for (int i = 0; i < 2; i++) {
                long t0 = System.nanoTime();
                Map<String, JobOutcome> down = DaemonTestSupport.byName(d.runCycleNow());
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertTrue(ms < DEADLINE_MS + 1_500, "cycle took " + ms + " ms");
                assertEquals(ReasonCode.HOLD_BACKEND_UNAVAILABLE, down.get("r-busy").decision().reason(), down.get("r-busy").decision().summary());
                assertFalse(down.get("r-other").failed());
            }
            assertEquals(5, FlinkDeploymentFixtures.replicas(client, NS, "r-busy"));

            restarted = EmbeddedKafka.start();
            job(restarted, "r-busy", -1, 480, "flaky");
            front.retarget("127.0.0.1", port(restarted));
            ReasonCode reason = null;
            // The breaker lets a probe through after open-for (1 s here); the client re-bootstraps through the proxy.
            for (int i = 0; i < 30 && reason != ReasonCode.HOLD_IN_RANGE; i++) {
                reason = DaemonTestSupport.byName(d.runCycleNow()).get("r-busy").decision().reason();
                Thread.sleep(200);
            }
            assertEquals(ReasonCode.HOLD_IN_RANGE, reason, "decided again after the broker came back");
            List<String> recovered = rec.logLines("Kafka cluster 'flaky' recovered");
            assertEquals(1, recovered.size(), rec.logLines("flaky").toString());
            System.out.println("broker restarted, log: " + recovered.get(0));
            assertNoWrongDirection();
        } finally {
            if (restarted != null) {
                restarted.close();
            }
        }
    }

    @Test
    void deletedGroupAddedPartitionsAndNoCommitsNeverScaleDown() throws Exception {
        job(kafka, "g-deleted", 5, 480, null);
        job(kafka, "g-grown", 5, 480, null);
        deployment("g-never", 5, null);
        kafka.createTopic("g-never-in", PARTITIONS);
        job(kafka, "g-hot", 3, 480, null);
        Daemon d = daemon(Map.of("local", kafka.bootstrapServers()), "flinkfleet.kafka.topic-metadata-ttl = 1ms");
        d.start();
        DaemonTestSupport.awaitWatched(d, 4);
        Map<String, JobOutcome> first = DaemonTestSupport.byName(d.runCycleNow());
        assertTrue(first.get("g-hot").applied());

        kafka.admin().deleteConsumerGroups(List.of("g-deleted")).all().get(30, TimeUnit.SECONDS);
        kafka.addPartitions("g-grown-in", PARTITIONS * 2);
        for (int i = 0; i < 3; i++) {
            Map<String, JobOutcome> out = DaemonTestSupport.byName(d.runCycleNow());
            for (String j : List.of("g-deleted", "g-grown", "g-never")) {
                assertFalse(out.get(j).failed(), j + ": " + out.get(j).error());
                assertFalse(out.get(j).decision().scalesDown(), out.get(j).decision().summary());
            }
        }
        assertEquals(5, FlinkDeploymentFixtures.replicas(client, NS, "g-deleted"));
        assertEquals(5, FlinkDeploymentFixtures.replicas(client, NS, "g-grown"));
        assertEquals(5, FlinkDeploymentFixtures.replicas(client, NS, "g-never"));
        assertEquals(1.0, rec.metric(d.httpPort(), "flinkfleet_backend_up{backend=\"kafka:local\"}"), "a group or topic problem is not a cluster down");
        assertNoWrongDirection();
    }

    // ------------------------------------------------------------------ helpers

    private void assertNoWrongDirection() {
        assertEquals(0, rec.scaleDowns(), "wrong-direction scalings");
        assertEquals(0, rec.errors(), "exceptions that escaped into outcomes");
    }

    private static int port(EmbeddedKafka k) {
        String b = k.bootstrapServers().split(",")[0];
        return Integer.parseInt(b.substring(b.lastIndexOf(':') + 1));
    }

    /**
     * A job reading topic {@code name-in} as group {@code name} on {@code broker}: offsets committed at 0 and
     * {@code lag} records produced. {@code replicas} &lt; 0 creates no deployment (the broker was replaced).
     */
    private void job(EmbeddedKafka broker, String name, int replicas, int lag, String cluster) {
        String topic = name + "-in";
        broker.createTopic(topic, PARTITIONS);
        Map<TopicPartition, Long> zero = new HashMap<>();
        Map<TopicPartition, Integer> records = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            zero.put(new TopicPartition(topic, p), 0L);
            records.put(new TopicPartition(topic, p), lag / PARTITIONS);
        }
        broker.commit(name, zero);
        if (lag > 0) {
            broker.produce(records);
        }
        if (replicas > 0) {
            deployment(name, replicas, cluster);
        }
    }

    private void deployment(String name, int replicas, String cluster) {
        var b = FlinkDeploymentFixtures.deployment(NS, name).replicas(replicas);
        if (cluster != null) {
            b.annotation(JobBinder.ANNOTATION_KAFKA_CLUSTER, cluster);
        }
        b.create(client);
    }

    private Daemon daemon(Map<String, String> clusters) throws Exception {
        return daemon(clusters, "");
    }

    /** A daemon whose config is a file, so messages can cite file:line. */
    private Daemon daemon(Map<String, String> clusters, String extra) throws Exception {
        Path policies = DaemonTestSupport.lagPolicy(dir, NS, 3, "0s", "");
        StringBuilder cl = new StringBuilder();
        clusters.forEach((name, bootstrap) -> {
            cl.append("    ").append(name).append(" {\n      bootstrap-servers = \"").append(bootstrap).append("\"\n");
            if (name.equals("jaas")) {
                cl.append("""
                              admin {
                                "security.protocol" = "SASL_PLAINTEXT"
                                "sasl.mechanism" = "PLAIN"
                                "sasl.jaas.config" = "this is not a JAAS line"
                              }
                        """);
            }
            cl.append("    }\n");
        });
        Path file = dir.resolve("daemon.conf");
        Files.writeString(file, """
                flinkfleet.daemon {
                  policies-dir = "%s"
                  interval = 10m
                  http { bind-address = "127.0.0.1", port = 0 }
                  leader-election.enabled = false
                  backend-guard { attempts = 2, first-backoff = 20ms, open-for = 1s }
                  kafka-clusters {
                %s  }
                  default-kafka-cluster = local
                }
                flinkfleet.kafka { admin-timeout = 1s, cycle-deadline = %dms }
                flinkfleet.prometheus.enabled = false
                flinkfleet.kubernetes.namespaces = ["%s"]
                %s
                """.formatted(policies.toString().replace("\\", "\\\\"), cl, DEADLINE_MS, NS, extra));
        Config root = ConfigFactory.parseFile(file.toFile()).withFallback(ConfigFactory.defaultReference()).resolve();
        Daemon d = Daemon.create(root, client, Clock.systemUTC());
        d.addListener(rec);
        daemons.add(d);
        return d;
    }
}

package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.testkit.EmbeddedKafka;
import dev.flinkfleet.autoscaler.testing.MockApiServer;
import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.ReasonCode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The whole daemon against a CRUD mock API server and a real embedded Kafka broker (Prometheus off): jobs with
 * lag are scaled up through the real FlinkDeployment patch, events and state annotations are written, a paused
 * job and a dry run patch nothing, and with two replicas only the elected one acts.
 */
class DaemonIntegrationTest {

    static final String NS = "streaming";
    static final int PARTITIONS = 8;
    static EmbeddedKafka kafka;

    MockApiServer api;
    KubernetesClient client;
    @TempDir
    Path dir;
    final List<Daemon> daemons = new ArrayList<>();

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    @BeforeEach
    void crd() {
        api = MockApiServer.start();
        client = api.client();
    }

    @org.junit.jupiter.api.AfterEach
    void closeDaemons() {
        daemons.forEach(Daemon::close);
        api.close();
    }

    /** Jobs with their topic and group created, offsets committed at 0, and {@code lagged} given 480 records of lag (target 5 workers). */
    private void jobs(String prefix, List<String> names, List<String> lagged, Map<String, String> annotations) {
        List<String> topics = names.stream().map(n -> prefix + n + "-in").toList();
        kafka.createTopics(topics, PARTITIONS);
        Map<String, Map<TopicPartition, Long>> commits = new HashMap<>();
        for (String n : names) {
            Map<TopicPartition, Long> zero = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                zero.put(new TopicPartition(prefix + n + "-in", p), 0L);
            }
            commits.put(prefix + n, zero);
            var b = FlinkDeploymentFixtures.deployment(NS, prefix + n).replicas(3);
            annotations.forEach((job, ann) -> {
                if (job.equals(n)) {
                    b.annotation(ann.split("=")[0], ann.split("=")[1]);
                }
            });
            b.create(client);
        }
        kafka.commitAll(commits);
        Map<TopicPartition, Integer> records = new HashMap<>();
        for (String n : lagged) {
            for (int p = 0; p < PARTITIONS; p++) {
                records.put(new TopicPartition(prefix + n + "-in", p), 60);
            }
        }
        kafka.produce(records);
    }

    private Daemon daemon(String extra) throws IOException {
        Path policies = DaemonTestSupport.lagPolicy(dir, NS, 3, "0s", "");
        Config root = ConfigFactory.parseString("""
                flinkfleet.daemon {
                  policies-dir = "%s"
                  interval = 10m
                  http { bind-address = "127.0.0.1", port = 0 }
                  leader-election.enabled = false
                  kafka-clusters { local { bootstrap-servers = "%s" } }
                  default-kafka-cluster = local
                }
                flinkfleet.prometheus.enabled = false
                flinkfleet.kubernetes.namespaces = ["%s"]
                %s
                """.formatted(policies.toString().replace("\\", "\\\\"), kafka.bootstrapServers(), NS, extra))
                .withFallback(ConfigFactory.defaultReference()).resolve();
        Daemon d = Daemon.create(root, client, Clock.systemUTC());
        daemons.add(d);
        return d;
    }

    private GenericKubernetesResource get(String name) {
        return client.genericKubernetesResources(FlinkDeploymentFixtures.CONTEXT).inNamespace(NS).withName(name).get();
    }

    @Test
    void scalesUpTheLaggingJobOnlyAndLeavesThePausedOneAlone() throws Exception {
        jobs("a-", List.of("hot", "calm", "paused"), List.of("hot", "paused"), Map.of("paused", "flinkfleet.dev/paused=true"));
        Daemon d = daemon("");
        List<JobOutcome> seen = new ArrayList<>();
        d.addListener(new CycleListener() {
            @Override
            public void onJob(JobOutcome o) {
                seen.add(o);
            }
        });
        d.start();
        DaemonTestSupport.awaitWatched(d, 3);

        Map<String, JobOutcome> out = DaemonTestSupport.byName(d.runCycleNow());
        assertEquals(3, out.size(), out.keySet().toString());
        JobOutcome hot = out.get("a-hot");
        assertTrue(hot.applied(), hot.decision().summary());
        assertEquals(5, hot.decision().targetWorkers(), hot.decision().summary());
        assertEquals(5, FlinkDeploymentFixtures.replicas(client, NS, "a-hot"));
        assertEquals(3, FlinkDeploymentFixtures.replicas(client, NS, "a-calm"));
        assertNull(out.get("a-calm").result(), "nothing to apply for the calm job");

        JobOutcome paused = out.get("a-paused");
        assertEquals(ReasonCode.HOLD_PAUSED, paused.decision().reason(), paused.decision().summary());
        assertNull(paused.result(), "a paused job never reaches the actuator");
        assertEquals(3, FlinkDeploymentFixtures.replicas(client, NS, "a-paused"));
        assertEquals(3, seen.size(), "listeners added before start see every job");

        // Events go out from their own thread, off the loop.
        assertTrue(d.awaitEventsSent(java.time.Duration.ofSeconds(10)), "events sent");
        List<Event> events = client.v1().events().inNamespace(NS).list().getItems();
        assertTrue(events.stream().anyMatch(e -> e.getInvolvedObject().getName().equals("a-hot")
                && e.getReason().equals("ScaledUp") && e.getMessage().matches("SCALE_UP_[A-Z]+: scaled 3->5 .*")), events.stream().map(Event::getMessage).toList().toString());
        assertNotNull(get("a-hot").getMetadata().getAnnotations().get("flinkfleet.dev/governor-state"));

        HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + d.httpPort() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body());
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + d.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(metrics.body().contains("flinkfleet_job_workers_desired{application=\"lag\",flink_job=\"a-hot\",flink_namespace=\"streaming\"} 5"),
                metrics.body().lines().filter(l -> l.contains("workers_desired")).toList().toString());
        // The daemon's own state beside the jobs': its build, leadership, the breakers of its backends and the JVM.
        for (String series : List.of("flinkfleet_build_info{revision=", "flinkfleet_leader 1", "flinkfleet_shard_held{shard=\"0\"} 1",
                "flinkfleet_jobs{application=\"lag\",reason=", "jvm_memory_used_bytes{area=\"heap\"}")) {
            assertTrue(metrics.body().contains(series), series + " in " + metrics.body().lines().filter(l -> !l.startsWith("#")).limit(60).toList());
        }

        // The next cycle sees the new size and holds.
        JobOutcome again = DaemonTestSupport.byName(d.runCycleNow()).get("a-hot");
        assertEquals(5, again.decision().currentWorkers());
        assertEquals(false, again.decision().changes(), again.decision().summary());
    }

    @Test
    void dryRunPatchesNothing() throws Exception {
        jobs("b-", List.of("hot"), List.of("hot"), Map.of());
        Daemon d = daemon("flinkfleet.daemon.dry-run = true");
        d.start();
        DaemonTestSupport.awaitWatched(d, 1);
        JobOutcome hot = DaemonTestSupport.byName(d.runCycleNow()).get("b-hot");
        assertEquals(Actuator.Outcome.DRY_RUN, hot.result().outcome(), hot.decision().summary());
        assertEquals(5, hot.decision().targetWorkers());
        assertEquals(3, FlinkDeploymentFixtures.replicas(client, NS, "b-hot"));
        var annotations = get("b-hot").getMetadata().getAnnotations();
        assertTrue(annotations == null || !annotations.containsKey("flinkfleet.dev/governor-state"), String.valueOf(annotations));
    }

    @Test
    void withTwoReplicasOnlyTheLeaderActs() throws Exception {
        jobs("c-", List.of("hot"), List.of("hot"), Map.of());
        String le = """
                flinkfleet.daemon.leader-election {
                  enabled = true
                  lease-namespace = "%s"
                  identity = "%s"
                  lease-duration = 4s
                  renew-deadline = 3s
                  retry-period = 300ms
                }
                """;
        Daemon one = daemon(le.formatted(NS, "one"));
        Daemon two = daemon(le.formatted(NS, "two"));
        one.start();
        two.start();
        DaemonTestSupport.awaitWatched(one, 1);
        DaemonTestSupport.awaitWatched(two, 1);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!(one.isLeader() || two.isLeader()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(one.isLeader() ^ two.isLeader(), "exactly one leader: one=" + one.isLeader() + " two=" + two.isLeader());
        Daemon leader = one.isLeader() ? one : two;
        Daemon standby = leader == one ? two : one;

        assertEquals(List.of(), standby.runCycleNow(), "a standby runs no cycle");
        assertEquals(3, FlinkDeploymentFixtures.replicas(client, NS, "c-hot"));
        JobOutcome hot = DaemonTestSupport.byName(leader.runCycleNow()).get("c-hot");
        assertTrue(hot.applied(), hot.decision().summary());
        assertEquals(5, FlinkDeploymentFixtures.replicas(client, NS, "c-hot"));
        String holder = client.leases().inNamespace(NS).withName("flinkfleet-autoscaler").get().getSpec().getHolderIdentity();
        assertEquals(leader == one ? "one" : "two", holder);
        assertEquals(List.of(), standby.runCycleNow());

        // The standby learns who leads on its next acquire attempt (retry-period); until then its leadership is unknown.
        HttpResponse<String> ready;
        long readyBy = System.nanoTime() + 10_000_000_000L;
        do {
            ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + standby.httpPort() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
            if (ready.statusCode() != 200) {
                Thread.sleep(50);
            }
        } while (ready.statusCode() != 200 && System.nanoTime() < readyBy);
        assertEquals(200, ready.statusCode(), "a standby is ready: " + ready.body());
    }
}

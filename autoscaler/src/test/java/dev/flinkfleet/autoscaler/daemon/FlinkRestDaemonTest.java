package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.autoscaler.testing.MockApiServer;
import dev.flinkfleet.policies.ActuationMode;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.testkit.EmbeddedKafka;
import dev.flinkfleet.testkit.flink.FlinkJob;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The whole daemon governing a real Flink job that has no FlinkDeployment: found on a Flink REST endpoint
 * (flinkfleet.flink-rest.clusters), bound to an application with actuation.mode = flink-rest, and rescaled
 * in place through the REST API; its governor state in memory, no Kubernetes event or annotation for it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlinkRestDaemonTest {

    private static final String CLUSTER = "sessions";
    private static final JobRef JOB = new JobRef(CLUSTER, "orders-job");

    @TempDir
    static Path dir;
    private EmbeddedKafka kafka;
    private FlinkJob flink;
    private MockApiServer api;
    private final List<Daemon> daemons = new java.util.ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopic("orders-in", 2);
        flink = FlinkJob.start(FlinkJob.Spec.of(JOB.name(), kafka.bootstrapServers(), "orders-in"));
        api = MockApiServer.start();
    }

    @AfterAll
    void stop() throws Exception {
        daemons.forEach(Daemon::close);
        if (api != null) {
            api.close();
        }
        if (flink != null) {
            flink.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void findsTheJobOnItsRestEndpointAndRescalesItInPlace() throws Exception {
        Daemon d = daemon("with-kubernetes", 4, "flinkfleet.kubernetes.namespaces = [\"streaming\"]", api.client());
        rescalesTo(d, 4);
        assertTrue(api.client().v1().events().inNamespace(CLUSTER).list().getItems().isEmpty(), "no Kubernetes event for a job without a FlinkDeployment");
    }

    @Test
    void runsWithoutKubernetesAtAll() throws Exception {
        // A client whose API server does not exist: with Kubernetes off the daemon never calls it.
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (KubernetesClient nowhere = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + closed).withRequestTimeout(500).withConnectionTimeout(500).build()).build()) {
            int target = flink.parallelism() == 3 ? 5 : 3;
            Daemon d = daemon("without-kubernetes", target, "flinkfleet.kubernetes.enabled = false", nowhere);
            assertTrue(d.informersSynced(), "nothing to wait for");
            rescalesTo(d, target);
        }
    }

    private Daemon daemon(String name, int workers, String extra, KubernetesClient client) throws Exception {
        Path policies = dir.resolve(name);
        Files.createDirectories(policies);
        Files.writeString(policies.resolve("sessions.conf"), """
                application {
                  select { namespaces = ["%s"] }
                  policy = "static"
                  params { workers = %d }
                  governor { min-workers = 1, max-workers = 8, tolerance = 0, scale-up-cooldown = 0s, scale-down-cooldown = 0s,
                             scale-down-stabilization-window = 0s }
                  actuation.mode = "flink-rest"
                }
                """.formatted(CLUSTER, workers));
        Config root = ConfigFactory.parseString("""
                flinkfleet.daemon {
                  policies-dir = "%s"
                  interval = 10m
                  http { bind-address = "127.0.0.1", port = 0 }
                  leader-election.enabled = false
                }
                flinkfleet.prometheus.enabled = false
                flinkfleet.flink-rest.clusters { %s { url = "%s" } }
                %s
                """.formatted(policies.toString().replace("\\", "\\\\"), CLUSTER, flink.restAddress(), extra))
                .withFallback(ConfigFactory.defaultReference()).resolve();
        Daemon d = Daemon.create(root, client, Clock.systemUTC());
        daemons.add(d);
        d.start();
        return d;
    }

    /** One cycle rescales the job to {@code target} for real; once Flink's REST view shows it, the next cycle holds. */
    private void rescalesTo(Daemon d, int target) throws Exception {
        JobOutcome o = byRef(d.runCycleNow()).get(JOB);
        assertEquals(ActuationMode.FLINK_REST, o.plan().mode());
        assertEquals(flink.parallelism(), o.decision().currentWorkers(), o.decision().summary());
        assertEquals(target, o.decision().targetWorkers(), o.decision().summary());
        assertTrue(o.applied(), o.decision().summary() + " / " + o.result());
        flink.awaitParallelism(target, Duration.ofSeconds(60));

        // Flink's REST API caches job details for up to 3 s (web.refresh-interval).
        long deadline = System.nanoTime() + 30_000_000_000L;
        JobOutcome again;
        do {
            Thread.sleep(200);
            again = byRef(d.runCycleNow()).get(JOB);
        } while (again.decision().currentWorkers() != target && System.nanoTime() < deadline);
        assertEquals(target, again.decision().currentWorkers(), again.decision().summary());
        assertFalse(again.decision().changes(), again.decision().summary());
    }

    private static Map<JobRef, JobOutcome> byRef(List<JobOutcome> outcomes) {
        return outcomes.stream().collect(Collectors.toMap(o -> o.plan().job(), Function.identity()));
    }
}

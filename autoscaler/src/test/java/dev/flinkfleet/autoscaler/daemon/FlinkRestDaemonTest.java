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
    Path dir;
    private EmbeddedKafka kafka;
    private FlinkJob flink;
    private MockApiServer api;
    private Daemon daemon;

    @BeforeAll
    void start() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopic("orders-in", 2);
        flink = FlinkJob.start(FlinkJob.Spec.of(JOB.name(), kafka.bootstrapServers(), "orders-in"));
        api = MockApiServer.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
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
        Path policies = dir.resolve("policies");
        Files.createDirectories(policies);
        Files.writeString(policies.resolve("sessions.conf"), """
                application {
                  select { namespaces = ["%s"] }
                  policy = "static"
                  params { workers = 4 }
                  governor { min-workers = 1, max-workers = 8, tolerance = 0, scale-up-cooldown = 0s }
                  actuation.mode = "flink-rest"
                }
                """.formatted(CLUSTER));
        Config root = ConfigFactory.parseString("""
                flinkfleet.daemon {
                  policies-dir = "%s"
                  interval = 10m
                  http { bind-address = "127.0.0.1", port = 0 }
                  leader-election.enabled = false
                }
                flinkfleet.prometheus.enabled = false
                flinkfleet.kubernetes.namespaces = ["streaming"]
                flinkfleet.flink-rest.clusters { %s { url = "%s" } }
                """.formatted(policies.toString().replace("\\", "\\\\"), CLUSTER, flink.restAddress()))
                .withFallback(ConfigFactory.defaultReference()).resolve();
        daemon = Daemon.create(root, api.client(), Clock.systemUTC());
        daemon.start();

        Map<JobRef, JobOutcome> first = byRef(daemon.runCycleNow());
        JobOutcome o = first.get(JOB);
        assertEquals(ActuationMode.FLINK_REST, o.plan().mode());
        assertEquals(2, o.decision().currentWorkers(), o.decision().summary());
        assertEquals(4, o.decision().targetWorkers(), o.decision().summary());
        assertTrue(o.applied(), o.decision().summary() + " / " + o.result());
        flink.awaitParallelism(4, Duration.ofSeconds(60));

        // Once Flink's REST view shows the new size (it caches job details for up to 3 s), the job is at its target.
        long deadline = System.nanoTime() + 30_000_000_000L;
        JobOutcome again;
        do {
            Thread.sleep(200);
            again = byRef(daemon.runCycleNow()).get(JOB);
        } while (again.decision().currentWorkers() != 4 && System.nanoTime() < deadline);
        assertEquals(4, again.decision().currentWorkers(), again.decision().summary());
        assertFalse(again.decision().changes(), again.decision().summary());
        assertTrue(api.client().v1().events().inNamespace(CLUSTER).list().getItems().isEmpty(), "no Kubernetes event for a job without a FlinkDeployment");
    }

    private static Map<JobRef, JobOutcome> byRef(List<JobOutcome> outcomes) {
        return outcomes.stream().collect(Collectors.toMap(o -> o.plan().job(), Function.identity()));
    }
}

package dev.flinkfleet.autoscaler.flinkrest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.testkit.EmbeddedKafka;
import dev.flinkfleet.testkit.flink.FlinkJob;

/**
 * The flink-rest path against a real Flink job (MiniCluster with the adaptive scheduler, KafkaSource on the
 * embedded broker): discovery finds it, the actuator's rescale really changes the running parallelism, and a
 * stale decision, a vanished job id and a cluster on Flink's default scheduler are holds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkRestRescaleTest {

    private static final String TOPIC = "rescale-in";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final JobRef JOB = new JobRef("minicluster", "rescale-job");

    private EmbeddedKafka kafka;
    private FlinkJob flink;
    private FlinkRestDiscovery discovery;
    private FlinkRestActuator actuator;
    private FlinkRestClient client;

    @BeforeAll
    void start() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopic(TOPIC, 2);
        kafka.produce(TOPIC, 0, 500);
        kafka.produce(TOPIC, 1, 500);
        flink = FlinkJob.start(FlinkJob.Spec.of(JOB.name(), kafka.bootstrapServers(), TOPIC).withCheckpointInterval(Duration.ofMillis(500)));
        client = new FlinkRestClient(JOB.namespace(), flink.restAddress(), Duration.ofSeconds(5), 2, Duration.ofMillis(100));
        discovery = new FlinkRestDiscovery(List.of(client));
        actuator = new FlinkRestActuator(discovery::job, false, () -> true);
    }

    @AfterAll
    void stop() throws Exception {
        if (flink != null) {
            flink.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1)
    void discoveryFindsTheRunningJob() {
        FlinkRestDiscovery.Round r = discovery.discover();
        assertTrue(r.failures().isEmpty() && r.problems().isEmpty(), r.toString());
        RestJob j = r.jobs().get(JOB);
        assertEquals(flink.jobId(), j.jobId(), r.jobs().toString());
        assertEquals(2, j.parallelism());
        assertEquals(flink.vertexIds().stream().sorted().toList(), j.vertexIds().stream().sorted().toList());
    }

    @Test
    @Order(2)
    void aRescaleThroughTheActuatorChangesTheRunningParallelism() throws Exception {
        discovery.discover();
        int[] sizes = {4, 2, 6, 3, 5, 2};
        int current = 2;
        List<Long> millis = new ArrayList<>();
        for (int target : sizes) {
            awaitSettled(current);
            long t0 = System.nanoTime();
            Actuator.Result r = actuator.apply(FlinkRestActuatorTest.decision(JOB, current, target));
            assertEquals(Actuator.Outcome.APPLIED, r.outcome(), r.toString());
            flink.awaitParallelism(target, WAIT);
            millis.add((System.nanoTime() - t0) / 1_000_000);
            assertEquals(target, client.requirements(flink.jobId()).maxUpperBound());
            current = target;
        }
        List<Long> sorted = millis.stream().sorted().toList();
        System.out.printf("flink-rest rescale on a MiniCluster (Flink %s), PUT to RUNNING at the new parallelism: %s ms, median %d ms%n",
                FlinkJob.flinkVersion(), millis, (sorted.get(2) + sorted.get(3)) / 2);
    }

    @Test
    @Order(3)
    void aDecisionForAnotherSizeIsHeldAndChangesNothing() throws Exception {
        int now = flink.parallelism();
        awaitSettled(now);
        Actuator.Result r = actuator.apply(FlinkRestActuatorTest.decision(JOB, now + 1, now + 3));
        assertEquals(ReasonCode.HOLD_UNSAFE_STATE, r.reason(), r.toString());
        assertTrue(r.detail().contains("they ask for parallelism " + now + ", the decision was made for " + (now + 1)), r.detail());
        assertEquals(now, client.requirements(flink.jobId()).maxUpperBound());
        assertEquals(now, flink.parallelism());
    }

    @Test
    @Order(4)
    void aVanishedJobIdIsAHoldNamingTheEndpoint() {
        RestJob gone = new RestJob(JOB, client, "00000000000000000000000000000001", 2, List.of());
        Actuator.Result r = new FlinkRestActuator(ref -> gone, false, () -> true).apply(FlinkRestActuatorTest.decision(JOB, 2, 4));
        assertEquals(ReasonCode.HOLD_UNSAFE_STATE, r.reason(), r.toString());
        assertTrue(r.detail().contains(client.describe() + " answered HTTP 404 to GET /jobs/00000000000000000000000000000001"), r.detail());
    }

    @Test
    @Order(5)
    void aClusterOnTheDefaultSchedulerRefusesAndIsAHold() throws Exception {
        try (FlinkJob plain = FlinkJob.start(FlinkJob.Spec.of("plain-job", kafka.bootstrapServers(), TOPIC).withDefaultScheduler())) {
            FlinkRestClient rest = new FlinkRestClient("plain", plain.restAddress(), Duration.ofSeconds(5), 1, Duration.ofMillis(100));
            FlinkRestDiscovery d = new FlinkRestDiscovery(List.of(rest));
            JobRef ref = new JobRef("plain", "plain-job");
            assertEquals(plain.jobId(), d.discover().jobs().get(ref).jobId());
            Actuator.Result r = new FlinkRestActuator(d::job, false, () -> true).apply(FlinkRestActuatorTest.decision(ref, 2, 4));
            System.out.println("default scheduler: " + r.detail());
            assertEquals(ReasonCode.HOLD_UNSAFE_STATE, r.reason(), r.toString());
            assertTrue(r.detail().contains(rest.describe()) && r.detail().contains("adaptive scheduler"), r.detail());
            assertEquals(2, plain.parallelism());
        }
    }

    /** Until the REST API shows every vertex RUNNING at {@code parallelism}: the state the actuator requires. */
    private void awaitSettled(int parallelism) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JobDetails d = client.job(flink.jobId());
            if ("RUNNING".equals(d.state()) && d.vertices().stream().allMatch(v -> "RUNNING".equals(v.status()) && v.parallelism() == parallelism)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job not settled at " + parallelism + ": " + d);
            }
            Thread.sleep(20);
        }
    }
}

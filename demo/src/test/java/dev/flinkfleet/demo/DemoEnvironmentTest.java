package dev.flinkfleet.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.flinkfleet.autoscaler.flinkrest.JobDetails;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentView;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeployments;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/** The harness without the daemon: a replicas patch goes through the stand-in operator into the job. */
class DemoEnvironmentTest {

    private static final Duration POD_START_DELAY = Duration.ofSeconds(3);

    @Test
    void replicasPatchStopsTheRealFlinkJobForThePodStartDelayThenRescalesItThroughRest() throws Exception {
        var options = new DemoEnvironment.Options("payments", "demo", "payments-in", 4, 1, 1000, Duration.ofMillis(500),
                POD_START_DELAY, s -> 100, Optional.empty(), true);
        try (DemoEnvironment env = DemoEnvironment.start(options, Clock.systemUTC())) {
            RealFlinkJob job = (RealFlinkJob) env.job();
            env.startTraffic();
            await("the operator reports the job running", () -> "RUNNING".equals(env.deploymentView().jobState()));
            await("the job commits offsets", () -> job.processedRecords() > 0);
            assertEquals(1, job.details().parallelism());
            assertEquals(job.jobId(), jobId(env));

            patchReplicas(env, "payments", 3);
            long patched = System.nanoTime();
            await("the operator reports the upgrade", () -> "UPGRADING".equals(env.deploymentView().lifecycleState()));
            // What Flink itself says: its TaskManager is gone, so the job is not running.
            await("Flink reports the job not running", () -> !"RUNNING".equals(job.details().state()));
            DemoEndToEndTestSupport.awaitStable(env);
            Duration upgrade = Duration.ofNanos(System.nanoTime() - patched);

            JobDetails d = job.details();
            assertEquals("RUNNING", d.state(), d.toString());
            assertTrue(d.vertices().size() >= 2 && d.vertices().stream().allMatch(v -> v.parallelism() == 3), d.toString());
            assertTrue(upgrade.compareTo(POD_START_DELAY) >= 0, "upgrade took " + upgrade + ", less than the pod-start delay");
            assertEquals(1, env.operator().upgrades());
            assertEquals(3, env.job().workers());
            assertEquals(job.jobId(), jobId(env), "the same job, restored, not a new one");
            long committed = job.processedRecords();
            await("the rescaled job commits offsets", () -> job.processedRecords() > committed);
        }
    }

    @Test
    void replicasPatchRestartsTheKafkaOnlyStandInWithTheNewWorkerCount() throws Exception {
        var options = new DemoEnvironment.Options("orders", "demo", "orders-in", 6, 1, 100, Duration.ofMillis(500),
                Duration.ofSeconds(1), s -> 50, Optional.empty(), false);
        try (DemoEnvironment env = DemoEnvironment.start(options, Clock.systemUTC())) {
            FakeFlinkJob job = (FakeFlinkJob) env.job();
            env.startTraffic();
            await("the operator reports the job running", () -> "RUNNING".equals(env.deploymentView().jobState()));
            await("one worker consumes", () -> job.runningWorkers() == 1 && job.processedRecords() > 0);
            long upgradesBefore = env.operator().upgrades();

            patchReplicas(env, "orders", 3);

            await("the job restarts", () -> job.runningWorkers() == 0);
            await("three workers consume", () -> job.runningWorkers() == 3);
            FlinkDeploymentView v = env.deploymentView();
            assertEquals("STABLE", v.lifecycleState());
            assertEquals(v.generation(), v.observedGeneration());
            assertEquals(upgradesBefore + 1, env.operator().upgrades());
            String metrics = job.render();
            for (int s = 0; s < 3; s++) {
                assertTrue(metrics.contains("subtask_index=\"" + s + "\""), metrics);
            }
            assertTrue(metrics.contains("job_name=\"orders\"") && metrics.contains("operator_name=\"Source__Kafka\""), metrics);
        }
    }

    private static void patchReplicas(DemoEnvironment env, String name, int replicas) {
        env.client().genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(DemoEnvironment.NAMESPACE)
                .withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"taskManager\":{\"replicas\":" + replicas + "}}}");
    }

    @SuppressWarnings("unchecked")
    private static Object jobId(DemoEnvironment env) {
        Object status = env.client().genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(DemoEnvironment.NAMESPACE)
                .withName(env.options().job()).get().getAdditionalProperties().get("status");
        return status instanceof java.util.Map<?, ?> m && m.get("jobStatus") instanceof java.util.Map<?, ?> js ? js.get("jobId") : null;
    }

    /** Polls {@code condition} (an exception counts as false) until true, for at most 30 s. */
    static void await(String what, ThrowingCondition condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    private static boolean holds(ThrowingCondition c) {
        try {
            return c.holds();
        } catch (Exception e) {
            return false;
        }
    }

    /** A condition that may fail to read what it checks (then it does not hold yet). */
    @FunctionalInterface
    interface ThrowingCondition {
        boolean holds() throws Exception;
    }
}

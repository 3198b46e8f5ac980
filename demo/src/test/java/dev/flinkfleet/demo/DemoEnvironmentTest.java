package dev.flinkfleet.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentView;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeployments;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/** The harness without the daemon: a replicas patch goes through the fake operator into the fake job. */
class DemoEnvironmentTest {

    @Test
    void replicasPatchRestartsTheJobWithTheNewWorkerCount() throws Exception {
        var options = new DemoEnvironment.Options("orders", "demo", "orders-in", 6, 1, 100, Duration.ofMillis(500),
                Duration.ofSeconds(1), s -> 50, Optional.empty());
        try (DemoEnvironment env = DemoEnvironment.start(options, Clock.systemUTC())) {
            env.startTraffic();
            await("the operator reports the job running", () -> "RUNNING".equals(env.deploymentView().jobState()));
            await("one worker consumes", () -> env.job().runningWorkers() == 1 && env.job().processedRecords() > 0);
            long upgradesBefore = env.operator().upgrades();

            env.client().genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(DemoEnvironment.NAMESPACE)
                    .withName("orders").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"taskManager\":{\"replicas\":3}}}");

            await("the job restarts", () -> env.job().runningWorkers() == 0);
            await("three workers consume", () -> env.job().runningWorkers() == 3);
            FlinkDeploymentView v = env.deploymentView();
            assertEquals("STABLE", v.lifecycleState());
            assertEquals(v.generation(), v.observedGeneration());
            assertEquals(upgradesBefore + 1, env.operator().upgrades());
            String metrics = env.job().render();
            for (int s = 0; s < 3; s++) {
                assertTrue(metrics.contains("subtask_index=\"" + s + "\""), metrics);
            }
            assertTrue(metrics.contains("job_name=\"orders\"") && metrics.contains("operator_name=\"Source__Kafka\""), metrics);
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}

package dev.flinkfleet.autoscaler.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.policies.JobRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

@EnableKubernetesMockClient(crud = true)
class FlinkDeploymentWatcherTest {

    static KubernetesClient client;

    @BeforeAll
    static void crd() {
        FlinkDeploymentFixtures.installCrd(client);
    }

    /** Waits for an informer event; the mock delivers them within milliseconds, the bound only guards a hang. */
    private static void eventually(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void seesAddUpdateDeleteInWatchedNamespacesMatchingTheSelector() throws Exception {
        JobRef a = new JobRef("team-a", "clicks");
        JobRef preexisting = new JobRef("team-a", "orders");
        JobRef otherNs = new JobRef("team-z", "clicks");
        JobRef unlabelled = new JobRef("team-b", "audit");
        FlinkDeploymentFixtures.deployment(preexisting.namespace(), preexisting.name()).label("autoscale", "true").create(client);

        List<JobRef> deleted = new CopyOnWriteArrayList<>();
        try (FlinkDeploymentWatcher w = new FlinkDeploymentWatcher(client, List.of("team-a", "team-b"), "autoscale=true")) {
            w.onDeleted(deleted::add);
            assertFalse(w.hasSynced());
            w.start().get(30, TimeUnit.SECONDS);
            assertTrue(w.hasSynced());
            assertEquals(Set.of(preexisting), w.views().keySet(), "initial list");

            FlinkDeploymentFixtures.deployment(a.namespace(), a.name()).label("autoscale", "true").replicas(2).create(client);
            FlinkDeploymentFixtures.deployment(otherNs.namespace(), otherNs.name()).label("autoscale", "true").create(client);
            FlinkDeploymentFixtures.deployment(unlabelled.namespace(), unlabelled.name()).create(client);
            eventually("add of " + a, () -> w.view(a) != null);
            assertEquals(2, w.view(a).taskManagerReplicas());

            DeploymentAccess.of(client).mergePatch(a, "{\"metadata\":{\"annotations\":{\"flinkfleet.dev/paused\":\"true\"}},\"spec\":{\"taskManager\":{\"replicas\":4}}}");
            eventually("update of " + a, () -> w.view(a).taskManagerReplicas() == 4);
            assertTrue(w.view(a).paused(), "paused annotation visible in the view");

            client.genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(preexisting.namespace()).withName(preexisting.name()).delete();
            eventually("delete of " + preexisting, () -> w.view(preexisting) == null);
            eventually("delete listener", () -> deleted.contains(preexisting));

            assertEquals(Set.of(a), w.views().keySet(), "other namespace and unlabelled objects are not indexed");
        }
    }

    @Test
    void allNamespacesWhenNoneConfigured() throws Exception {
        JobRef x = new JobRef("ns-x", "ingest");
        JobRef y = new JobRef("ns-y", "ingest");
        FlinkDeploymentFixtures.deployment(x.namespace(), x.name()).label("fleet", "all").create(client);
        FlinkDeploymentFixtures.deployment(y.namespace(), y.name()).label("fleet", "all").create(client);
        try (FlinkDeploymentWatcher w = new FlinkDeploymentWatcher(client, List.of(), "fleet=all")) {
            w.start().get(30, TimeUnit.SECONDS);
            assertEquals(Set.of(x, y), w.views().keySet());

            // Someone writes a replicas value that is not a number: the job leaves the index (never scaled)
            // and is reported with a reason naming it; fixing it brings it back.
            DeploymentAccess.of(client).mergePatch(y, "{\"spec\":{\"taskManager\":{\"replicas\":\"three\"}}}");
            eventually("invalid " + y, () -> w.invalid().containsKey(y));
            assertEquals(Set.of(x), w.views().keySet());
            assertTrue(w.invalid().get(y).contains("ns-y/ingest"), w.invalid().get(y));
            DeploymentAccess.of(client).mergePatch(y, "{\"spec\":{\"taskManager\":{\"replicas\":3}}}");
            eventually("fixed " + y, () -> w.view(y) != null);
            assertTrue(w.invalid().isEmpty());
        }
    }
}

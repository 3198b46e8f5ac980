package dev.flinkfleet.autoscaler.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.JobRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * Fault-matrix row "watch dropped and resynced": the API server goes away with the informer's watch open and
 * comes back on the same address with the same objects, changed while the watch was down (one deleted, one
 * added, one resized by another writer). The informer must reconnect and the daemon's job set and sizes must be
 * right again; a job deleted meanwhile is never patched or recreated.
 */
class WatchDropFaultTest {

    private static final String NS = "watch";
    private final KubernetesCrudDispatcher objects = new KubernetesCrudDispatcher(List.of());
    private KubernetesMockServer server;
    private FlinkDeploymentWatcher watcher;

    private KubernetesMockServer serve(int port) {
        KubernetesMockServer s = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), objects, false);
        s.init(InetAddress.getLoopbackAddress(), port);
        return s;
    }

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
        if (server != null) {
            server.destroy();
        }
    }

    private static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** The mock server's open watches (its own bookkeeping; package-private in fabric8). */
    private Set<Object> watches() {
        try {
            Field f = KubernetesCrudDispatcher.class.getDeclaredField("watchEventListeners");
            f.setAccessible(true);
            return Set.copyOf((Set<?>) f.get(objects));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends what a real API server sends on a watch whose resourceVersion it no longer has: ERROR 410 Gone. */
    private static void expire(Object watch) {
        String status = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"too old resource version: 5 (12)\",\"reason\":\"Expired\",\"code\":410}";
        try {
            Method send = watch.getClass().getMethod("sendWebSocketResponse", String.class, Watcher.Action.class);
            send.setAccessible(true);
            send.invoke(watch, status, Watcher.Action.ERROR);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private Set<String> watched() {
        Set<String> names = new TreeSet<>();
        watcher.views().keySet().forEach(j -> names.add(j.name()));
        return names;
    }

    @Test
    void informerRecoversAndKeepsTheJobSetRight() throws Exception {
        server = serve(0);
        int port = server.getPort();
        KubernetesClient daemonClient = server.createClient();
        FlinkDeploymentFixtures.installCrd(daemonClient);
        for (String j : List.of("a", "b", "c")) {
            FlinkDeploymentFixtures.deployment(NS, j).replicas(3).create(daemonClient);
        }
        watcher = new FlinkDeploymentWatcher(daemonClient, List.of(NS), null);
        watcher.start().get(30, TimeUnit.SECONDS);
        await("the first list", () -> watched().equals(Set.of("a", "b", "c")));

        // The API server goes away: every connection, the watch included, is dropped.
        Set<Object> before = Set.copyOf(watches());
        server.destroy();
        Thread.sleep(300);
        server = serve(port);
        KubernetesClient other = server.createClient();
        var ops = other.genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(NS);
        ops.withName("c").delete();
        FlinkDeploymentFixtures.deployment(NS, "d").replicas(3).create(other);
        GenericKubernetesResource a = ops.withName("a").get();
        @SuppressWarnings("unchecked")
        Map<String, Object> tm = (Map<String, Object>) ((Map<String, Object>) a.getAdditionalProperties().get("spec")).get("taskManager");
        tm.put("replicas", 4);
        ops.resource(a).update();

        // The informer watches again from its last resourceVersion. A real API server replays what happened
        // since, or, when that history is compacted, answers 410 Gone on the watch. The mock can do neither on
        // its own, so it is made to send the 410 a real server sends; the informer must then list again.
        await("the informer to watch again", () -> watches().stream().anyMatch(w -> !before.contains(w)));
        for (Object w : watches()) {
            if (!before.contains(w)) {
                expire(w);
            }
        }
        await("the informer to resync: " + watched(), () -> watched().equals(Set.of("a", "b", "d"))
                && Integer.valueOf(4).equals(watcher.view(new JobRef(NS, "a")).taskManagerReplicas()));

        // A decision made from a view taken before the drop must not resurrect or patch the deleted job.
        FlinkDeploymentActuator actuator = new FlinkDeploymentActuator(daemonClient, ActuatorSettings.defaults());
        Actuator.Result r = actuator.apply(TestDecisions.scale(new JobRef(NS, "c"), 3, 5));
        assertFalse(r.applied(), r.toString());
        assertNull(ops.withName("c").get(), "not recreated");
        // And one made for the old size of a is refused: a is 4 now.
        Actuator.Result stale = actuator.apply(TestDecisions.scale(new JobRef(NS, "a"), 3, 5));
        assertFalse(stale.applied(), stale.toString());
        assertEquals(4, FlinkDeploymentView.of(ops.withName("a").get()).taskManagerReplicas());
        other.close();
    }
}

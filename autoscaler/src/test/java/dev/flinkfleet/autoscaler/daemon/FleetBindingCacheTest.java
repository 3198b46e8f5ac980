package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.autoscaler.kubernetes.EventRecorder;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentView;
import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.policies.ActuationMode;
import dev.flinkfleet.policies.JobPlan;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.config.Applications;
import dev.flinkfleet.policies.config.PolicyFiles;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** A job is bound again only when its resourceVersion or the policy files (the binder) change. */
class FleetBindingCacheTest {

    @TempDir
    static Path dir;
    static KubernetesClient client;

    @BeforeAll
    static void setUp() throws IOException {
        Files.writeString(dir.resolve("detection.conf"), """
                application {
                  select { namespaces = ["sec"] }
                  policy = "lag-threshold"
                  params { lag-per-worker = 100 }
                  kafka { topics = ["{name}-events"] }
                }""");
        // Never called: every job here binds cleanly, so no event is posted (the address is unreachable on purpose).
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
                .withMasterUrl("http://127.0.0.1:9").build()).build();
    }

    @AfterAll
    static void tearDown() {
        client.close();
    }

    static JobBinder binder() {
        return new JobBinder(new Applications(PolicyFiles.loadDir(dir, PolicyRegistry.builtIn())), ActuationMode.TASKMANAGER_REPLICAS,
                "main", Set.of("main"));
    }

    /** The fleet between two cycles. */
    static final class Fleet {
        final Map<JobRef, FlinkDeploymentView> views = new TreeMap<>();
        final AtomicReference<JobBinder> binder = new AtomicReference<>(binder());

        void put(String name, String resourceVersion, int replicas) {
            GenericKubernetesResource r = FlinkDeploymentFixtures.deployment("sec", name).replicas(replicas).build();
            r.getMetadata().setResourceVersion(resourceVersion);
            FlinkDeploymentView v = FlinkDeploymentView.of(r);
            views.put(v.job(), v);
        }
    }

    record Case(String name, Consumer<Fleet> change, long rebound, Map<String, Integer> workers) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("nothing changed: nothing re-bound", f -> { }, 0, Map.of("a", 2, "b", 3, "c", 4)),
                new Case("one resourceVersion changed: that job re-bound, its new size seen", f -> f.put("b", "20", 5), 1,
                        Map.of("a", 2, "b", 5, "c", 4)),
                new Case("policy files changed (a new binder): every job re-bound", f -> f.binder.set(binder()), 3,
                        Map.of("a", 2, "b", 3, "c", 4)),
                new Case("a new job: only it bound", f -> f.put("d", "1", 1), 1, Map.of("a", 2, "b", 3, "c", 4, "d", 1)),
                new Case("a job gone: nothing re-bound, it is no longer planned", f -> f.views.remove(new JobRef("sec", "c")), 0,
                        Map.of("a", 2, "b", 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rebindsOnlyWhatChanged(Case c) {
        Fleet fleet = new Fleet();
        fleet.put("a", "10", 2);
        fleet.put("b", "11", 3);
        fleet.put("c", "12", 4);
        FleetBinding binding = new FleetBinding(fleet.binder::get, () -> fleet.views,
                new EventRecorder(client, Clock.systemUTC(), "test", j -> null), new DaemonMetrics(new PrometheusRegistry()), j -> null);
        binding.bindAll();
        assertEquals(3, binding.rebound(), "the first cycle binds every job");

        c.change().accept(fleet);
        List<JobPlan> plans = binding.bindAll();

        assertEquals(c.rebound(), binding.rebound() - 3);
        Map<String, Integer> workers = new TreeMap<>();
        plans.forEach(p -> workers.put(p.job().name(), p.wiring(JobWiring.class).workers()));
        assertEquals(new TreeMap<>(c.workers()), workers);
    }

    @org.junit.jupiter.api.Test
    void aJobThatLeftAndCameBackIsBoundAgain() {
        Fleet fleet = new Fleet();
        fleet.put("a", "10", 2);
        FleetBinding binding = new FleetBinding(fleet.binder::get, () -> fleet.views,
                new EventRecorder(client, Clock.systemUTC(), "test", j -> null), new DaemonMetrics(new PrometheusRegistry()), j -> null);
        binding.bindAll();
        FlinkDeploymentView a = fleet.views.remove(new JobRef("sec", "a"));
        assertEquals(List.of(), binding.bindAll());
        fleet.views.put(a.job(), a);
        assertEquals(1, binding.bindAll().size());
        assertEquals(2, binding.rebound(), "forgotten while gone, so bound again when back");
    }
}

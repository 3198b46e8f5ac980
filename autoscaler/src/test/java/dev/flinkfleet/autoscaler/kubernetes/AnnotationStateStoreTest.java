package dev.flinkfleet.autoscaler.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.autoscaler.testing.MutableClock;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

@EnableKubernetesMockClient(crud = true)
class AnnotationStateStoreTest {

    private static final AtomicInteger NS = new AtomicInteger();
    private static final Duration INTERVAL = Duration.ofMinutes(5);

    static KubernetesClient client;

    private JobRef job;
    private MutableClock clock;
    private final AtomicInteger patches = new AtomicInteger();

    @BeforeAll
    static void crd() {
        FlinkDeploymentFixtures.installCrd(client);
    }

    @BeforeEach
    void setUp() {
        job = new JobRef("state-" + NS.incrementAndGet(), "scorer");
        clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    }

    /** The real API, counting patches. */
    private DeploymentAccess counting() {
        DeploymentAccess real = DeploymentAccess.of(client);
        return new DeploymentAccess() {
            @Override
            public GenericKubernetesResource get(JobRef j) {
                return real.get(j);
            }

            @Override
            public GenericKubernetesResource mergePatch(JobRef j, String json) {
                patches.incrementAndGet();
                return real.mergePatch(j, json);
            }
        };
    }

    private AnnotationStateStore store() {
        return new AnnotationStateStore(counting(), null, clock, INTERVAL);
    }

    private String annotation() {
        return FlinkDeploymentView.of(DeploymentAccess.of(client).get(job)).governorStateAnnotation();
    }

    @Test
    void cooldownSurvivesADaemonRestart() throws Exception {
        FlinkDeploymentFixtures.deployment(job.namespace(), job.name()).create(client);
        long generation = FlinkDeploymentView.of(DeploymentAccess.of(client).get(job)).generation();
        AnnotationStateStore first = store();
        assertEquals(GovernorState.empty(), first.load(job));

        Instant scaledAt = clock.instant();
        GovernorState afterScale = GovernorState.empty().withSample(scaledAt, 5, Duration.ofMinutes(10)).afterScale(scaledAt, 3, 5);
        first.save(job, afterScale);
        assertEquals(1, patches.get(), "a new last-scale time is written at once");

        GovernorState reloaded = new AnnotationStateStore(client, clock, INTERVAL).load(job);
        assertEquals(afterScale, reloaded);
        assertEquals(scaledAt, reloaded.lastScaleUpAt());
        assertEquals(generation, FlinkDeploymentView.of(DeploymentAccess.of(client).get(job)).generation(),
                "annotation writes do not bump generation (no operator reconcile, no unsafe-state hold)");
    }

    @Test
    void historyOnlyChangesAreWrittenAtMostOncePerInterval() throws Exception {
        FlinkDeploymentFixtures.deployment(job.namespace(), job.name()).create(client);
        AnnotationStateStore store = store();
        GovernorState s = store.load(job);
        // 9 cycles of 30 s: history grows every cycle, nothing scales
        for (int i = 0; i < 9; i++) {
            s = s.withSample(clock.instant(), 3, Duration.ofMinutes(10));
            store.save(job, s);
            clock.advance(Duration.ofSeconds(30));
        }
        assertEquals(0, patches.get(), "no write before the interval has passed");
        assertEquals(s, store.load(job), "the cache has every sample");

        clock.advance(INTERVAL);
        s = s.withSample(clock.instant(), 3, Duration.ofMinutes(10));
        store.save(job, s);
        assertEquals(1, patches.get());
        assertEquals(s, AnnotationStateStore.parse(job, annotation()));

        clock.advance(Duration.ofSeconds(30));
        s = s.withSample(clock.instant(), 2, Duration.ofMinutes(10));
        store.save(job, s);
        assertEquals(1, patches.get(), "throttled again");

        Instant down = clock.instant();
        s = s.afterScale(down, 3, 2);
        store.save(job, s);
        assertEquals(2, patches.get(), "a scale is never throttled");
        assertEquals(down, AnnotationStateStore.parse(job, annotation()).lastScaleDownAt());

        store.save(job, s);
        assertEquals(2, patches.get(), "unchanged state is not rewritten");
    }

    @Test
    void flushWritesPendingHistory() throws Exception {
        FlinkDeploymentFixtures.deployment(job.namespace(), job.name()).create(client);
        AnnotationStateStore store = store();
        GovernorState s = store.load(job).withSample(clock.instant(), 4, Duration.ofMinutes(10));
        store.save(job, s);
        assertEquals(0, patches.get());
        store.flush();
        assertEquals(1, patches.get());
        assertEquals(s, AnnotationStateStore.parse(job, annotation()));
    }

    @Test
    void malformedAnnotationThrowsNamingTheJob() {
        FlinkDeploymentFixtures.deployment(job.namespace(), job.name())
                .annotation("flinkfleet.dev/governor-state", "{\"last-scale-up\":\"yesterday\"}").create(client);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store().load(job));
        assertTrue(e.getMessage().contains(job.toString()) && e.getMessage().contains("last-scale-up"), e.getMessage());

        IllegalArgumentException notJson = assertThrows(IllegalArgumentException.class, () -> AnnotationStateStore.parse(job, "last-scale-up=now"));
        assertTrue(notJson.getMessage().contains(job.toString()) && notJson.getMessage().contains("flinkfleet.dev/governor-state"), notJson.getMessage());
    }

    @Test
    void readsThroughTheWatcherViewWithoutAGet() throws Exception {
        GenericKubernetesResource r = FlinkDeploymentFixtures.deployment(job.namespace(), job.name())
                .annotation("flinkfleet.dev/governor-state", "{\"last-scale-down\":\"2026-11-27T09:55:00Z\"}").build();
        FlinkDeploymentView v = FlinkDeploymentView.of(r);
        DeploymentAccess noServer = new DeploymentAccess() {
            @Override
            public GenericKubernetesResource get(JobRef j) {
                throw new AssertionError("no GET expected");
            }

            @Override
            public GenericKubernetesResource mergePatch(JobRef j, String json) {
                throw new AssertionError("no patch expected");
            }
        };
        GovernorState s = new AnnotationStateStore(noServer, j -> j.equals(job) ? v : null, clock, INTERVAL).load(job);
        assertEquals(Instant.parse("2026-11-27T09:55:00Z"), s.lastScaleDownAt());
    }
}

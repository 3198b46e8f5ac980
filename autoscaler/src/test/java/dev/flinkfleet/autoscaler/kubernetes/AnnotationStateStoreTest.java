package dev.flinkfleet.autoscaler.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.RememberedCapacity;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.policies.builtin.LagThresholdPolicy;
import dev.flinkfleet.policies.governor.DefaultGovernor;
import dev.flinkfleet.policies.governor.GovernorConfig;
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
        // With a remembered capacity: an idle job must still shrink after the daemon restarts.
        GovernorState afterScale = GovernorState.empty().withSample(scaledAt, 5, Duration.ofMinutes(10)).afterScale(scaledAt, 3, 5)
                .withCapacity(new RememberedCapacity(812.5, scaledAt.minusSeconds(30)));
        first.save(job, afterScale);
        assertEquals(1, patches.get(), "a new last-scale time is written at once");

        GovernorState reloaded = new AnnotationStateStore(client, clock, INTERVAL).load(job);
        assertEquals(afterScale, reloaded);
        assertEquals(scaledAt, reloaded.lastScaleUpAt());
        assertEquals(812.5, reloaded.capacity().perWorker());
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

    /** A value someone could write into the governor-state annotation. */
    record Garbage(String name, String value) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Garbage> garbage() {
        return Stream.of(
                new Garbage("not JSON", "last-scale-up=now"),
                new Garbage("truncated", "{\"last-scale-up\":\"2026-11-27T09:58:00Z\",\"recommend"),
                new Garbage("empty JSON string", "\"\""),
                new Garbage("a list", "[\"2026-11-27T09:58:00Z\"]"),
                new Garbage("an object where a time belongs", "{\"last-scale-up\":{\"at\":1}}"),
                new Garbage("a boolean where a time belongs", "{\"last-scale-down\":true}"),
                new Garbage("a number where a time belongs", "{\"last-scale-down\":1764237480}"),
                new Garbage("a list of numbers as history", "{\"recommendations\":[1,2]}"),
                new Garbage("not an ISO time", "{\"last-scale-up\":\"yesterday\"}"),
                new Garbage("history entry without a colon", "{\"recommendations\":\"1764237480\"}"),
                new Garbage("history seconds beyond long", "{\"recommendations\":\"99999999999999999999999:3\"}"),
                new Garbage("history seconds beyond Instant", "{\"recommendations\":\"-99999999999999999:3\"}"),
                new Garbage("history target beyond int", "{\"recommendations\":\"1764237480:99999999999\"}"),
                new Garbage("history target zero", "{\"recommendations\":\"1764237480:0\"}"),
                new Garbage("history target negative", "{\"recommendations\":\"1764237480:-4\"}"),
                new Garbage("history NaN", "{\"recommendations\":\"NaN:3\"}"),
                new Garbage("history in year 318857", "{\"recommendations\":\"9999999999999:3\"}"),
                new Garbage("history before 1970", "{\"recommendations\":\"-5:3\"}"),
                new Garbage("last scale-down before 1970", "{\"last-scale-down\":\"1969-12-31T23:59:59Z\"}"),
                new Garbage("last scale-down in a negative year", "{\"last-scale-down\":\"-2026-11-27T09:58:00Z\"}"),
                new Garbage("last scale-up in the year 1e9", "{\"last-scale-up\":\"+1000000000-01-01T00:00:00Z\"}"),
                new Garbage("last scale-down far in the future", "{\"last-scale-down\":\"2999-01-01T00:00:00Z\"}"),
                new Garbage("5000 nested arrays", "[".repeat(5000)),
                new Garbage("a number with 5000 digits", "{\"last-scale-up\":" + "9".repeat(5000) + "}"),
                new Garbage("a control character", "\u0000"));
    }

    /**
     * Garbage in the annotation is read as "rescaled just now, recommended to stay": reported once, never thrown,
     * and the governor then allows no scale-down for a cooldown and a whole stabilisation window, so the bad
     * value can only delay a rescale, never enable one the real history forbids. The next save replaces it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void garbageIsReadConservativelyReportedOnceAndReplaced(Garbage g) {
        FlinkDeploymentFixtures.deployment(job.namespace(), job.name()).replicas(4)
                .annotation("flinkfleet.dev/governor-state", g.value()).create(client);
        List<String> reported = new ArrayList<>();
        AnnotationStateStore store = new AnnotationStateStore(counting(), null, clock, INTERVAL, j -> 4, (j, problem) -> reported.add(j + " " + problem));

        Instant loadedAt = clock.instant();
        GovernorState s = store.load(job);
        assertEquals(AnnotationStateStore.unreadable(loadedAt.minusSeconds(1), 4), s);
        assertEquals(1, reported.size(), reported.toString());
        assertTrue(reported.get(0).contains("flinkfleet.dev/governor-state"), reported.get(0));
        store.load(job);
        assertEquals(1, reported.size(), "told once, not every cycle");

        // Everything says "shrink to 1": no scale-down now, none after the cooldown, none inside the window.
        DefaultGovernor governor = new DefaultGovernor(new GovernorConfig(1, 10, 2, false, false, 0, Duration.ofMinutes(5),
                Duration.ofMinutes(5), Duration.ofMinutes(10), 0, 1.0, Duration.ofMinutes(5)));
        LagThresholdPolicy policy = new LagThresholdPolicy(100);
        for (Duration after : List.of(Duration.ZERO, Duration.ofMinutes(6), Duration.ofMinutes(9))) {
            Instant at = loadedAt.plus(after);
            Signals sig = Signals.builder(job, at).workers(4).parallelism(8).fresh(SignalKind.BACKLOG, 0).build();
            Decision d = governor.decide(sig, policy.recommend(sig), policy, s, at);
            assertEquals(4, d.targetWorkers(), after + ": " + d.summary());
            assertTrue(d.reason() == ReasonCode.HOLD_COOLDOWN || d.reason() == ReasonCode.HOLD_STABILIZATION, d.summary());
        }

        store.save(job, s);
        assertEquals(s, AnnotationStateStore.parse(job, annotation()), "the readable state replaced the garbage");
        assertEquals(1, reported.size());
    }

    @Test
    void plausibleStateIsTakenAsWritten() {
        String json = "{\"last-scale-down\":\"2026-11-27T09:00:00Z\",\"recommendations\":\"1764234000:3\"}";
        FlinkDeploymentFixtures.deployment(job.namespace(), job.name()).annotation("flinkfleet.dev/governor-state", json).create(client);
        List<String> reported = new ArrayList<>();
        GovernorState s = new AnnotationStateStore(counting(), null, clock, INTERVAL, j -> 4, (j, p) -> reported.add(p)).load(job);
        assertEquals(Instant.parse("2026-11-27T09:00:00Z"), s.lastScaleDownAt());
        assertEquals(List.of(), reported);

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

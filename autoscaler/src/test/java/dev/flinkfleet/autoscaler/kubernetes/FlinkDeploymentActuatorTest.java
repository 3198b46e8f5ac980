package dev.flinkfleet.autoscaler.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.policies.ActuationMode;
import dev.flinkfleet.policies.Actuator.Outcome;
import dev.flinkfleet.policies.Actuator.Result;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

@EnableKubernetesMockClient(crud = true)
class FlinkDeploymentActuatorTest {

    private static final String OVERRIDES = "pipeline.jobvertex-parallelism-overrides";
    private static final AtomicInteger NS = new AtomicInteger();

    /** One mock server per class (installing the 0.5 MB CRD is the slow part); one namespace per test. */
    static KubernetesClient client;

    private JobRef JOB;

    @BeforeAll
    static void crd() {
        FlinkDeploymentFixtures.installCrd(client);
    }

    @BeforeEach
    void namespace() {
        JOB = new JobRef("fraud-" + NS.incrementAndGet(), "scorer");
    }

    private FlinkDeploymentFixtures.Builder deployment() {
        return FlinkDeploymentFixtures.deployment(JOB.namespace(), JOB.name());
    }

    private GenericKubernetesResource read() {
        return DeploymentAccess.of(client).get(JOB);
    }

    /** A spec.flinkConfiguration value as the API server has it (the view keeps only the keys the daemon reads). */
    private String rawConf(String key) {
        Object spec = read().getAdditionalProperties().get("spec");
        Object conf = spec instanceof java.util.Map<?, ?> m ? m.get("flinkConfiguration") : null;
        return conf instanceof java.util.Map<?, ?> c ? (String) c.get(key) : null;
    }

    private FlinkDeploymentView view() {
        return FlinkDeploymentView.of(read());
    }

    private FlinkDeploymentActuator actuator(ActuatorSettings s) {
        return new FlinkDeploymentActuator(client, s);
    }

    record ModeCase(String name, ActuationMode mode, List<String> vertexIds, UnaryOperator<FlinkDeploymentFixtures.Builder> setup,
                    java.util.function.Function<FlinkDeploymentView, Object> field, Object expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ModeCase> modes() {
        return Stream.of(
                new ModeCase("TASKMANAGER_REPLICAS sets spec.taskManager.replicas", ActuationMode.TASKMANAGER_REPLICAS, List.of(),
                        b -> b, FlinkDeploymentView::taskManagerReplicas, 5),
                new ModeCase("JOB_PARALLELISM sets spec.job.parallelism = workers x slots", ActuationMode.JOB_PARALLELISM, List.of(),
                        b -> b, FlinkDeploymentView::jobParallelism, 10),
                new ModeCase("VERTEX_OVERRIDES rewrites every current vertex", ActuationMode.VERTEX_OVERRIDES, List.of(),
                        b -> b.conf(OVERRIDES, "bc764cd8ddf7a0cff126f51c16239658:6,ea632d67b7d595e5b851708ae9ad79d6:6"),
                        v -> v.flinkConfiguration().get(OVERRIDES), "bc764cd8ddf7a0cff126f51c16239658:10,ea632d67b7d595e5b851708ae9ad79d6:10"),
                new ModeCase("VERTEX_OVERRIDES with a configured vertex list", ActuationMode.VERTEX_OVERRIDES, List.of("src", "sink"),
                        b -> b, v -> v.flinkConfiguration().get(OVERRIDES), "src:10,sink:10"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void eachModePatchesItsFieldAndBumpsGeneration(ModeCase c) {
        // replicas 3, parallelism 6, 2 slots: 3 workers in every mode
        c.setup().apply(deployment()).create(client);
        FlinkDeploymentView before = view();

        Result r = actuator(ActuatorSettings.defaults().withMode(c.mode()).withVertexIds(c.vertexIds())).apply(TestDecisions.scale(JOB, 3, 5));

        assertEquals(Outcome.APPLIED, r.outcome(), r.detail());
        FlinkDeploymentView after = view();
        assertEquals(c.expected(), c.field().apply(after));
        assertEquals(before.generation() + 1, after.generation(), "a spec change bumps generation, so the operator reconciles it");
        assertEquals(5, ModeFields.currentWorkers(c.mode(), after));
        // nothing else in the spec was touched
        assertEquals("REACTIVE", rawConf("scheduler-mode"));
        if (c.mode() != ActuationMode.TASKMANAGER_REPLICAS) {
            assertEquals(3, after.taskManagerReplicas());
        }
    }

    record UnsafeCase(String name, UnaryOperator<FlinkDeploymentFixtures.Builder> setup, String mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<UnsafeCase> unsafe() {
        return Stream.of(
                new UnsafeCase("lifecycle UPGRADING", b -> b.lifecycle("UPGRADING"), "UPGRADING"),
                new UnsafeCase("job RESTARTING", b -> b.jobState("RESTARTING"), "RESTARTING"),
                new UnsafeCase("generation not yet observed", b -> b.observedGenerationLag(1), "generation"),
                new UnsafeCase("reconciliation UPGRADING", b -> b.reconciliation("UPGRADING"), "reconciliation"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsafe")
    void unsafeStatesHoldWithoutPatching(UnsafeCase c) {
        c.setup().apply(deployment()).create(client);
        String rv = read().getMetadata().getResourceVersion();

        Result r = actuator(ActuatorSettings.defaults()).apply(TestDecisions.scale(JOB, 3, 5));

        assertEquals(Outcome.SKIPPED, r.outcome());
        assertEquals(ReasonCode.HOLD_UNSAFE_STATE, r.reason());
        assertTrue(r.detail().contains(c.mentions()), r.detail());
        assertEquals(rv, read().getMetadata().getResourceVersion(), "object untouched");
        assertEquals(3, view().taskManagerReplicas());
    }

    @Test
    void sizeChangedSinceTheDecisionSkips() {
        deployment().replicas(4).create(client);
        Result r = actuator(ActuatorSettings.defaults()).apply(TestDecisions.scale(JOB, 3, 5));
        assertEquals(Outcome.SKIPPED, r.outcome());
        assertTrue(r.detail().contains("size is now 4"), r.detail());
        assertEquals(4, view().taskManagerReplicas());
    }

    @Test
    void pausedJobIsHeld() {
        deployment().annotation("flinkfleet.dev/paused", "true").create(client);
        assertTrue(view().paused(), "paused annotation visible in the view");
        Result r = actuator(ActuatorSettings.defaults()).apply(TestDecisions.scale(JOB, 3, 5));
        assertEquals(ReasonCode.HOLD_PAUSED, r.reason());
        assertEquals(3, view().taskManagerReplicas());
    }

    @Test
    void operatorAutoscalerHoldsUnlessTakingOver() {
        deployment().conf("job.autoscaler.enabled", "true").create(client);

        Result held = actuator(ActuatorSettings.defaults()).apply(TestDecisions.scale(JOB, 3, 5));
        assertEquals(Outcome.SKIPPED, held.outcome());
        assertTrue(held.detail().contains("job.autoscaler.enabled"), held.detail());
        assertEquals(3, view().taskManagerReplicas());

        Result taken = actuator(ActuatorSettings.defaults().withTakeOver(true)).apply(TestDecisions.scale(JOB, 3, 5));
        assertEquals(Outcome.APPLIED, taken.outcome(), taken.detail());
        FlinkDeploymentView after = view();
        assertEquals(5, after.taskManagerReplicas());
        assertEquals("false", after.flinkConfiguration().get("job.autoscaler.enabled"));
        assertEquals("REACTIVE", rawConf("scheduler-mode"), "merge patch keeps the other config keys");
    }

    @Test
    void dryRunPatchesNothing() {
        deployment().create(client);
        String rv = read().getMetadata().getResourceVersion();
        Result r = actuator(ActuatorSettings.defaults().withDryRun(true)).apply(TestDecisions.scale(JOB, 3, 5));
        assertEquals(Outcome.DRY_RUN, r.outcome());
        assertTrue(r.detail().contains("spec.taskManager.replicas"), r.detail());
        assertEquals(rv, read().getMetadata().getResourceVersion());
    }

    @Test
    void missingObjectSkips() {
        Result r = actuator(ActuatorSettings.defaults()).apply(TestDecisions.scale(JOB, 3, 5));
        assertEquals(Outcome.SKIPPED, r.outcome());
        assertTrue(r.detail().contains("not found"), r.detail());
    }

    @Test
    void staleResourceVersionIsRejectedByTheServer() {
        // The mechanism the actuator relies on: a merge patch naming an old resourceVersion gets 409.
        deployment().create(client);
        String stale = read().getMetadata().getResourceVersion();
        DeploymentAccess.of(client).mergePatch(JOB, "{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}");
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> DeploymentAccess.of(client).mergePatch(JOB, JsonPatches.mergePatch(stale, null, java.util.Map.of("taskManager", java.util.Map.of("replicas", 9)))));
        assertEquals(409, e.getCode());
        assertEquals(3, view().taskManagerReplicas());
    }

    /** Lets another writer patch the object right after the actuator's read, {@code times} times. */
    private DeploymentAccess interposing(String otherWritersPatch, int times, AtomicInteger patches) {
        DeploymentAccess real = DeploymentAccess.of(client);
        AtomicInteger left = new AtomicInteger(times);
        return new DeploymentAccess() {
            @Override
            public GenericKubernetesResource get(JobRef job) {
                GenericKubernetesResource r = real.get(job);
                if (left.getAndDecrement() > 0) {
                    real.mergePatch(job, otherWritersPatch.replace("#", String.valueOf(left.get())));
                }
                return r;
            }

            @Override
            public GenericKubernetesResource mergePatch(JobRef job, String json) {
                patches.incrementAndGet();
                return real.mergePatch(job, json);
            }
        };
    }

    @Test
    void conflictWithAResizeIsSkippedNotOverwritten() {
        deployment().create(client);
        AtomicInteger patches = new AtomicInteger();
        // A user runs `kubectl scale` to 7 between our read and our patch.
        DeploymentAccess api = interposing("{\"spec\":{\"taskManager\":{\"replicas\":7}}}", 1, patches);

        Result r = new FlinkDeploymentActuator(api, ActuatorSettings.defaults()).apply(TestDecisions.scale(JOB, 3, 5));

        assertEquals(Outcome.SKIPPED, r.outcome(), r.detail());
        // The resize bumped the generation, so the re-check refuses (unobserved generation) before comparing sizes.
        assertTrue(r.detail().contains("another writer"), r.detail());
        assertEquals(1, patches.get(), "one patch attempt (rejected), no retry");
        assertEquals(7, view().taskManagerReplicas(), "the other writer's value stands");
    }

    @Test
    void conflictWithAnUnrelatedChangeIsRetriedOnce() {
        deployment().create(client);
        AtomicInteger patches = new AtomicInteger();
        // Someone labels the object between our read and our patch: size and safety unchanged.
        DeploymentAccess api = interposing("{\"metadata\":{\"labels\":{\"owner\":\"sre\"}}}", 1, patches);

        Result r = new FlinkDeploymentActuator(api, ActuatorSettings.defaults()).apply(TestDecisions.scale(JOB, 3, 5));

        assertEquals(Outcome.APPLIED, r.outcome(), r.detail());
        assertEquals(2, patches.get());
        FlinkDeploymentView after = view();
        assertEquals(5, after.taskManagerReplicas());
        assertEquals("sre", after.labels().get("owner"), "the other writer's change is kept");
    }

    @Test
    void conflictTwiceGivesUpForThisCycle() {
        deployment().create(client);
        AtomicInteger patches = new AtomicInteger();
        DeploymentAccess api = interposing("{\"metadata\":{\"labels\":{\"churn\":\"#\"}}}", 2, patches);
        AtomicInteger conflicts = new AtomicInteger();

        Result r = new FlinkDeploymentActuator(api, ActuatorSettings.defaults(), conflicts::incrementAndGet)
                .apply(TestDecisions.scale(JOB, 3, 5));

        assertEquals(Outcome.SKIPPED, r.outcome(), r.detail());
        assertEquals(2, patches.get());
        assertEquals(2, conflicts.get(), "each 409 is reported");
        assertEquals(3, view().taskManagerReplicas());
    }
}

package dev.flinkfleet.autoscaler.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.policies.JobRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

class FlinkDeploymentViewTest {

    @Test
    void readsSpecStatusAndMetadata() {
        GenericKubernetesResource r = FlinkDeploymentFixtures.deployment("fraud", "scorer")
                .replicas(4).parallelism(8).conf("taskmanager.numberOfTaskSlots", "2")
                .annotation("flinkfleet.dev/application", " fraud-detection ").label("tier", "gold")
                .annotation("kubectl.kubernetes.io/last-applied-configuration", "{\"a huge\": \"json\"}")
                .lifecycle("DEPLOYED").build();
        FlinkDeploymentView v = FlinkDeploymentView.of(r);
        assertEquals(new JobRef("fraud", "scorer"), v.job());
        assertEquals(4, v.taskManagerReplicas());
        assertEquals(8, v.jobParallelism());
        assertEquals(2, v.taskSlots());
        assertEquals("gold", v.labels().get("tier"));
        assertEquals("fraud-detection", v.application());
        assertEquals("DEPLOYED", v.lifecycleState());
        assertEquals("DEPLOYED", v.reconciliationState());
        assertEquals("RUNNING", v.jobState());
        assertEquals(1L, v.generation());
        assertEquals(1L, v.observedGeneration());
        assertEquals("1", v.resourceVersion());
        assertEquals("uid-scorer", v.uid());
        assertEquals(null, v.flinkConfiguration().get("scheduler-mode"), "compact: a key the daemon does not read is not kept");
        assertEquals(FlinkDeploymentView.READ_CONFIGURATION, java.util.Set.copyOf(java.util.List.of("taskmanager.numberOfTaskSlots",
                "pipeline.jobvertex-parallelism-overrides", "job.autoscaler.enabled", "kubernetes.operator.job.autoscaler.enabled",
                "job.autoscaler.scaling.enabled", "kubernetes.operator.job.autoscaler.scaling.enabled")));
        assertTrue(v.annotations().keySet().stream().allMatch(k -> k.startsWith(FlinkDeployments.PREFIX)),
                "compact: only the daemon's own annotations are kept, got " + v.annotations().keySet());
        assertFalse(v.paused());
        assertFalse(v.operatorAutoscalerEnabled());
    }

    @Test
    void pausedAndOperatorAutoscalerFlags() {
        FlinkDeploymentView v = FlinkDeploymentView.of(FlinkDeploymentFixtures.deployment("ns", "j")
                .annotation("flinkfleet.dev/paused", "true").conf("job.autoscaler.enabled", "TRUE").build());
        assertTrue(v.paused());
        assertTrue(v.operatorAutoscalerEnabled());
        FlinkDeploymentView notPaused = FlinkDeploymentView.of(FlinkDeploymentFixtures.deployment("ns", "j")
                .annotation("flinkfleet.dev/paused", "false").conf("job.autoscaler.enabled", "false").build());
        assertFalse(notPaused.paused());
        assertFalse(notPaused.operatorAutoscalerEnabled());
    }

    @Test
    void absentFieldsAreNullNotGuessed() {
        FlinkDeploymentView v = FlinkDeploymentView.of(FlinkDeploymentFixtures.deployment("ns", "j")
                .replicas(null).parallelism(null).conf("taskmanager.numberOfTaskSlots", null).noStatus().build());
        assertNull(v.taskManagerReplicas());
        assertNull(v.jobParallelism());
        assertNull(v.lifecycleState());
        assertNull(v.observedGeneration());
        assertNull(v.application());
        assertEquals(1, v.taskSlots(), "Flink's default is one slot per TaskManager");
    }

    /** The compact view keeps every key the operator-autoscaler check reads, in both spellings. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "job.autoscaler.enabled, true, , true",
            "kubernetes.operator.job.autoscaler.enabled, true, , true",
            "job.autoscaler.enabled, true, job.autoscaler.scaling.enabled, false",
            "kubernetes.operator.job.autoscaler.enabled, true, kubernetes.operator.job.autoscaler.scaling.enabled, false",
            "job.autoscaler.enabled, false, , false",
    })
    void theOperatorAutoscalerKeysSurviveTheCompactView(String enabledKey, String enabled, String scalingKey, boolean operatorScales) {
        var b = FlinkDeploymentFixtures.deployment("ns", "j").conf(enabledKey, enabled);
        if (scalingKey != null) {
            b = b.conf(scalingKey, "false");
        }
        assertEquals(operatorScales, FlinkDeploymentView.of(b.build()).operatorAutoscalerEnabled());
    }

    @Test
    void nestedFlinkConfigurationIsFlattened() {
        GenericKubernetesResource r = FlinkDeploymentFixtures.deployment("ns", "j").build();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) r.getAdditionalProperties().get("spec");
        spec.put("flinkConfiguration", Map.of("taskmanager", Map.of("numberOfTaskSlots", 4)));
        assertEquals(4, FlinkDeploymentView.of(r).taskSlots());
    }

    @Test
    void malformedValuesNameTheJob() {
        FlinkDeploymentView badSlots = FlinkDeploymentView.of(FlinkDeploymentFixtures.deployment("ns", "j").conf("taskmanager.numberOfTaskSlots", "two").build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, badSlots::taskSlots);
        assertTrue(e.getMessage().contains("ns/j") && e.getMessage().contains("numberOfTaskSlots"), e.getMessage());

        GenericKubernetesResource r = FlinkDeploymentFixtures.deployment("ns", "k").build();
        @SuppressWarnings("unchecked")
        Map<String, Object> tm = (Map<String, Object>) ((Map<String, Object>) r.getAdditionalProperties().get("spec")).get("taskManager");
        tm.put("replicas", "three");
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> FlinkDeploymentView.of(r));
        assertTrue(e2.getMessage().contains("ns/k") && e2.getMessage().contains("spec.taskManager.replicas"), e2.getMessage());
    }

    /** A value users may write in a hand-written annotation, and how the daemon reads it. */
    record AnnotationCase(String name, String annotation, String value, boolean paused, boolean problem) {
        @Override
        public String toString() {
            return name;
        }
    }

    static java.util.stream.Stream<AnnotationCase> annotationValues() {
        String p = "flinkfleet.dev/paused";
        String a = "flinkfleet.dev/application";
        return java.util.stream.Stream.of(
                new AnnotationCase("paused true", p, "true", true, false),
                new AnnotationCase("paused TRUE with spaces", p, " TRUE ", true, false),
                new AnnotationCase("paused false", p, "false", false, false),
                new AnnotationCase("paused blank", p, "  ", false, false),
                new AnnotationCase("paused maybe", p, "maybe", true, true),
                new AnnotationCase("paused yes", p, "yes", true, true),
                new AnnotationCase("paused 1", p, "1", true, true),
                new AnnotationCase("paused 0", p, "0", true, true),
                new AnnotationCase("paused with a newline", p, "true\nfalse", true, true),
                new AnnotationCase("paused 10k characters", p, "x".repeat(10_000), true, true),
                new AnnotationCase("application plain", a, "fraud-detection", false, false),
                new AnnotationCase("application with a slash", a, "../etc/passwd", false, true),
                new AnnotationCase("application with a space", a, "fraud detection", false, true),
                new AnnotationCase("application with a control character", a, "fra\u0007ud", false, true),
                new AnnotationCase("application of emoji", a, "\uD83D\uDE80", false, true),
                new AnnotationCase("application 300 characters", a, "a".repeat(300), false, true));
    }

    /**
     * A pause value other than true/false pauses (the safe reading: its writer meant to say something about
     * pausing) and is reported; an application value that cannot be a name is reported. The problem text names
     * the value printably and briefly.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("annotationValues")
    void handWrittenAnnotationsAreReadSafelyAndReported(AnnotationCase c) {
        FlinkDeploymentView v = FlinkDeploymentView.of(FlinkDeploymentFixtures.deployment("ns", "j").annotation(c.annotation(), c.value()).build());
        assertEquals(c.paused(), v.paused());
        Map<String, String> problems = v.annotationProblems();
        assertEquals(c.problem(), problems.containsKey(c.annotation()), problems.toString());
        problems.values().forEach(m -> {
            assertTrue(m.length() < 200, m);
            assertTrue(m.codePoints().noneMatch(Character::isISOControl), m);
        });
    }
}

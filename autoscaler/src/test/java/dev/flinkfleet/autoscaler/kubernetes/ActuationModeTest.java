package dev.flinkfleet.autoscaler.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.policies.ActuationMode;

class ActuationModeTest {

    private static final String OVERRIDES = "pipeline.jobvertex-parallelism-overrides";

    record Case(String name, ActuationMode mode, UnaryOperator<FlinkDeploymentFixtures.Builder> setup, List<String> vertexIds,
                Integer current, int target, Map<String, Object> expectedSpecPatch) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("replicas", ActuationMode.TASKMANAGER_REPLICAS, b -> b.replicas(3), List.of(), 3, 5,
                        Map.of("taskManager", Map.of("replicas", 5))),
                new Case("parallelism = workers x slots", ActuationMode.JOB_PARALLELISM, b -> b.parallelism(6), List.of(), 3, 5,
                        Map.of("job", Map.of("parallelism", 10))),
                new Case("parallelism not a multiple of slots rounds workers up", ActuationMode.JOB_PARALLELISM, b -> b.parallelism(7), List.of(), 4, 2,
                        Map.of("job", Map.of("parallelism", 4))),
                new Case("overrides from the current value", ActuationMode.VERTEX_OVERRIDES,
                        b -> b.conf(OVERRIDES, "bc764cd8ddf7a0cff126f51c16239658:6, 0a448493b4782967b150582570326227:4"), List.of(), 3, 4,
                        Map.of("flinkConfiguration", Map.of(OVERRIDES, "bc764cd8ddf7a0cff126f51c16239658:8,0a448493b4782967b150582570326227:8"))),
                new Case("overrides from the configured list, size from job parallelism", ActuationMode.VERTEX_OVERRIDES,
                        b -> b.parallelism(4), List.of("v1", "v2", "v3"), 2, 1,
                        Map.of("flinkConfiguration", Map.of(OVERRIDES, "v1:2,v2:2,v3:2"))),
                new Case("replicas unset: size unknown", ActuationMode.TASKMANAGER_REPLICAS, b -> b.replicas(null), List.of(), null, 2,
                        Map.of("taskManager", Map.of("replicas", 2))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sizeAndPatch(Case c) {
        FlinkDeploymentView v = FlinkDeploymentView.of(c.setup().apply(FlinkDeploymentFixtures.deployment("ns", "j")).build());
        assertEquals(c.current(), ModeFields.currentWorkers(c.mode(), v));
        assertEquals(c.expectedSpecPatch(), ModeFields.specPatch(c.mode(), v, c.target(), c.vertexIds()));
    }

    @Test
    void overridesWithoutAnyVertexIdRefuseNamingTheJob() {
        FlinkDeploymentView v = FlinkDeploymentView.of(FlinkDeploymentFixtures.deployment("ns", "j").build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModeFields.specPatch(ActuationMode.VERTEX_OVERRIDES, v, 2, List.of()));
        assertTrue(e.getMessage().startsWith("ns/j:"), e.getMessage());
    }

    @Test
    void malformedOverridesNameTheJobAndEntry() {
        FlinkDeploymentView v = FlinkDeploymentView.of(FlinkDeploymentFixtures.deployment("ns", "j").conf(OVERRIDES, "v1:4,v2").build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModeFields.currentWorkers(ActuationMode.VERTEX_OVERRIDES, v));
        assertTrue(e.getMessage().contains("ns/j") && e.getMessage().contains("'v2'"), e.getMessage());
    }
}

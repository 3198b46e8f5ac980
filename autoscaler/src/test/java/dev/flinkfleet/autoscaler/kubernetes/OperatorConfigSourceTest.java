package dev.flinkfleet.autoscaler.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/** The operator's ConfigMap as its Helm chart writes it, read through the (mock) API. */
@EnableKubernetesMockClient(crud = true)
class OperatorConfigSourceTest {

    static KubernetesClient client;

    record Case(String name, Map<String, String> data, boolean readable, Map<String, String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("config.yaml, nested as Flink 1.19+ writes it", Map.of("config.yaml", """
                        job:
                          autoscaler:
                            enabled: true
                            scaling:
                              enabled: false
                        kubernetes.operator.reconcile.interval: 15 s
                        """), true, Map.of("job.autoscaler.enabled", "true", "job.autoscaler.scaling.enabled", "false",
                        "kubernetes.operator.reconcile.interval", "15 s")),
                new Case("flat flink-conf.yaml with comments", Map.of("flink-conf.yaml", """
                        # operator defaults
                        kubernetes.operator.job.autoscaler.enabled: true   # for all jobs
                        job.autoscaler.target.utilization: "0.6"
                        """), true, Map.of("kubernetes.operator.job.autoscaler.enabled", "true", "job.autoscaler.target.utilization", "0.6")),
                new Case("config.yaml wins over flink-conf.yaml, as in Flink", Map.of("config.yaml", "job.autoscaler.enabled: false\n",
                        "flink-conf.yaml", "job.autoscaler.enabled: true\n"), true, Map.of("job.autoscaler.enabled", "false")),
                new Case("only log4j files", Map.of("log4j-operator.properties", "rootLogger.level = INFO"), true, Map.of()),
                new Case("broken config.yaml is unreadable, never silently empty", Map.of("config.yaml", "job: [unclosed"), false, Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsTheChartsFiles(Case c) {
        String ns = "op-" + Math.abs(c.name().hashCode());
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("flink-operator-config")
                .withNamespace(ns).endMetadata().withData(c.data()).build()).create();
        OperatorDefaults d = new OperatorConfigSource(client, ns, "flink-operator-config").get();
        assertEquals(c.readable(), d.readable(), String.valueOf(d.problem()));
        if (c.readable()) {
            assertTrue(d.found());
            assertEquals(c.expected(), d.conf());
            assertTrue(d.source().startsWith("ConfigMap " + ns + "/flink-operator-config"), d.source());
        } else {
            assertTrue(d.problem().contains("config.yaml"), d.problem());
        }
    }

    @Test
    void missingConfigMapMeansNoDefaults() {
        OperatorDefaults d = new OperatorConfigSource(client, "nowhere", "flink-operator-config").get();
        assertFalse(d.found());
        assertTrue(d.readable(), "absent is known, not unreadable");
        assertNull(d.problem());
        assertEquals(OperatorAutoscaler.Mode.OFF, OperatorAutoscaler.of(Map.of(), d).mode());
    }

    @Test
    void reReadEachTimeSoAnEditCountsAtTheNextRescale() {
        String ns = "op-edit";
        OperatorConfigSource source = new OperatorConfigSource(client, ns, "flink-operator-config");
        assertFalse(source.get().found());
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("flink-operator-config")
                .withNamespace(ns).endMetadata().withData(Map.of("config.yaml", "job.autoscaler.enabled: true")).build()).create();
        assertEquals(OperatorAutoscaler.Mode.SCALING, OperatorAutoscaler.of(Map.of(), source.get()).mode());
    }
}

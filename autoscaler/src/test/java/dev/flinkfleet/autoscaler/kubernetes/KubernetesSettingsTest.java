package dev.flinkfleet.autoscaler.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;

import dev.flinkfleet.policies.ActuationMode;

class KubernetesSettingsTest {

    private static Config load(String text) {
        return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription("daemon.conf"))
                .withFallback(ConfigFactory.defaultReference()).resolve();
    }

    @Test
    void defaultsFromReferenceConf() {
        KubernetesSettings s = KubernetesSettings.fromConfig(load(""));
        assertEquals(List.of(), s.namespaces());
        assertEquals("", s.labelSelector());
        assertEquals(Duration.ofMinutes(5), s.stateHistoryWriteInterval());
        assertEquals(ActuatorSettings.defaults(), s.actuator());
        assertFalse(s.actuator().dryRun());
    }

    @Test
    void readsEveryKey() {
        KubernetesSettings s = KubernetesSettings.fromConfig(load("""
                flinkfleet.kubernetes {
                  namespaces = [streaming, fraud]
                  label-selector = "flinkfleet.dev/autoscale=true"
                  state-history-write-interval = 0s
                  actuator { mode = vertex-overrides, vertex-ids = [a1, b2], take-over-operator-autoscaler = true, dry-run = true }
                }
                """));
        assertEquals(List.of("streaming", "fraud"), s.namespaces());
        assertEquals("flinkfleet.dev/autoscale=true", s.labelSelector());
        assertEquals(Duration.ZERO, s.stateHistoryWriteInterval());
        assertEquals(new ActuatorSettings(ActuationMode.VERTEX_OVERRIDES, List.of("a1", "b2"), true, true), s.actuator());
    }

    record Bad(String name, String conf, String key) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> bad() {
        return Stream.of(
                new Bad("unknown mode", "flinkfleet.kubernetes.actuator.mode = scale-subresource", "flinkfleet.kubernetes.actuator.mode"),
                new Bad("Kubernetes off with leader election on", "flinkfleet.kubernetes.enabled = false", "leader-election.enabled = false"),
                new Bad("Kubernetes off and no Flink REST cluster",
                        "flinkfleet { kubernetes.enabled = false, daemon.leader-election.enabled = false }", "flinkfleet.flink-rest.clusters"),
                new Bad("flink-rest is no FlinkDeployment field", "flinkfleet.kubernetes.actuator.mode = flink-rest", "flinkfleet.kubernetes.actuator.mode"),
                new Bad("bad namespace", "flinkfleet.kubernetes.namespaces = [Streaming_1]", "flinkfleet.kubernetes.namespaces"),
                new Bad("interval without unit", "flinkfleet.kubernetes.state-history-write-interval = 300", "flinkfleet.kubernetes.state-history-write-interval"),
                new Bad("vertex id with separator", "flinkfleet.kubernetes.actuator.vertex-ids = [\"a:2\"]", "flinkfleet.kubernetes.actuator.vertex-ids"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void badValuesNameFileLineAndKey(Bad b) {
        ConfigException e = assertThrows(ConfigException.class, () -> KubernetesSettings.fromConfig(load(b.conf())));
        assertTrue(e.getMessage().contains("daemon.conf: 1") && e.getMessage().contains(b.key()), e.getMessage());
    }
}

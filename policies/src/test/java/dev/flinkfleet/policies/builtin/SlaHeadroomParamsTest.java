package dev.flinkfleet.policies.builtin;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.typesafe.config.ConfigException;

import dev.flinkfleet.policies.PolicyRegistry;

/** sla-headroom's parameters are checked when it is built; the error names the key and where it was set. */
class SlaHeadroomParamsTest {

    record Bad(String name, String hocon, String key) {
    }

    static Stream<Bad> rejected() {
        return Stream.of(
                new Bad("zero target", "target-utilization = 0", "target-utilization"),
                new Bad("target above 1", "target-utilization = 1.1", "target-utilization"),
                new Bad("trigger equal to target", "scale-up-utilization = 0.7", "scale-up-utilization"),
                new Bad("trigger below target", "target-utilization = 0.9, scale-up-utilization = 0.85", "scale-up-utilization"),
                new Bad("trigger above 1", "scale-up-utilization = 1.5", "scale-up-utilization"),
                new Bad("saving of 1 forbids every scale-down", "min-scale-down-saving = 1", "min-scale-down-saving"),
                new Bad("negative saving", "min-scale-down-saving = -0.1", "min-scale-down-saving"),
                new Bad("SLA not above restart + margin", "sla-latency = 2m", "sla-latency"),
                new Bad("SLA without unit", "sla-latency = 300", "sla-latency"),
                new Bad("zero SLA", "sla-latency = 0s", "sla-latency"),
                new Bad("negative restart", "restart-time = -1s", "restart-time"),
                new Bad("checkpoint not a duration", "checkpoint-interval = often", "checkpoint-interval"),
                new Bad("negative margin", "safety-margin = -5s", "safety-margin"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsAndNamesTheKey(Bad c) {
        var factory = PolicyRegistry.builtIn().get("sla-headroom");
        ConfigException e = assertThrows(ConfigException.class, () -> factory.create(Fixtures.params("sla-headroom", c.hocon())));
        assertTrue(e.getMessage().contains(c.key()), e.getMessage());
        assertTrue(e.getMessage().contains("String"), e.getMessage());
    }

    record Good(String name, String hocon) {
    }

    static Stream<Good> accepted() {
        return Stream.of(
                new Good("no margin, no restart cost", "safety-margin = 0s, restart-time = 0s, checkpoint-interval = 0s"),
                new Good("trigger at 1", "scale-up-utilization = 1"),
                new Good("scale-down for any saving", "min-scale-down-saving = 0"),
                new Good("SLA just above restart + margin", "sla-latency = 121s"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void accepts(Good c) {
        var factory = PolicyRegistry.builtIn().get("sla-headroom");
        assertDoesNotThrow(() -> factory.create(Fixtures.params("sla-headroom", c.hocon())));
    }
}

package dev.flinkfleet.policies.builtin;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.typesafe.config.ConfigException;

import dev.flinkfleet.policies.PolicyRegistry;

/** Every parameter is checked when the policy is built, and the error names the key (and where it was set). */
class ParamValidationTest {

    record Bad(String name, String policy, String hocon, String key) {
    }

    static Stream<Bad> rejected() {
        return Stream.of(
                new Bad("backlog-drain: CPU above 1", "backlog-drain", "scale-up-cpu = 1.5", "scale-up-cpu"),
                new Bad("backlog-drain: CPU 0", "backlog-drain", "scale-up-cpu = 0", "scale-up-cpu"),
                new Bad("backlog-drain: CPU not a number", "backlog-drain", "scale-up-cpu = high", "scale-up-cpu"),
                new Bad("backlog-drain: backlog time a list", "backlog-drain", "scale-up-backlog-time = [1, 2]", "scale-up-backlog-time"),
                new Bad("backlog-drain: zero time to drain", "backlog-drain", "time-to-drain = 0s", "time-to-drain"),
                new Bad("backlog-drain: negative time to drain", "backlog-drain", "time-to-drain = -5s", "time-to-drain"),
                new Bad("backlog-drain: time to drain not a duration", "backlog-drain", "time-to-drain = soon", "time-to-drain"),
                new Bad("backlog-drain: negative scale-down CPU", "backlog-drain", "scale-down-cpu = -0.1", "scale-down-cpu"),
                new Bad("backlog-drain: scale-down CPU over scale-up CPU", "backlog-drain", "scale-down-cpu = 0.95", "scale-down-cpu"),
                new Bad("backlog-drain: scale-down CPU equal to scale-up CPU", "backlog-drain", "scale-down-cpu = 0.9", "scale-down-cpu"),
                new Bad("backlog-drain: scale-down backlog time over scale-up", "backlog-drain", "scale-down-backlog-time = 200s", "scale-down-backlog-time"),
                new Bad("backlog-drain: zero target CPU", "backlog-drain", "target-cpu = 0", "target-cpu"),
                new Bad("target-utilization: zero target", "target-utilization", "target-utilization = 0", "target-utilization"),
                new Bad("target-utilization: target above 1", "target-utilization", "target-utilization = 1.2", "target-utilization"),
                new Bad("target-utilization: boundary reaches target", "target-utilization", "utilization-boundary = 0.7", "utilization-boundary"),
                new Bad("target-utilization: negative boundary", "target-utilization", "utilization-boundary = -0.1", "utilization-boundary"),
                new Bad("target-utilization: zero catch-up", "target-utilization", "catch-up-duration = 0s", "catch-up-duration"),
                new Bad("target-utilization: negative restart", "target-utilization", "restart-time = -1s", "restart-time"),
                new Bad("target-utilization: restart not a duration", "target-utilization", "restart-time = later", "restart-time"),
                new Bad("lag-threshold: zero", "lag-threshold", "lag-per-worker = 0", "lag-per-worker"),
                new Bad("lag-threshold: negative", "lag-threshold", "lag-per-worker = -10", "lag-per-worker"),
                new Bad("lag-threshold: under one record", "lag-threshold", "lag-per-worker = 0.5", "lag-per-worker"),
                new Bad("lag-threshold: not a number", "lag-threshold", "lag-per-worker = many", "lag-per-worker"),
                new Bad("predictive: SLA within restart + interval", "predictive", "sla-latency = 2m", "sla-latency"),
                new Bad("predictive: zero control interval", "predictive", "control-interval = 0s", "control-interval"),
                new Bad("predictive: negative metrics delay", "predictive", "metrics-delay = -1s", "metrics-delay"),
                new Bad("predictive: restart not a duration", "predictive", "restart-time = soon", "restart-time"),
                new Bad("static: zero workers", "static", "workers = 0", "workers"),
                new Bad("static: fractional workers", "static", "workers = 2.5", "workers"),
                new Bad("static: workers not a number", "static", "workers = two", "workers"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsAndNamesTheKey(Bad c) {
        var factory = PolicyRegistry.builtIn().get(c.policy());
        ConfigException e = assertThrows(ConfigException.class, () -> factory.create(Fixtures.params(c.policy(), c.hocon())));
        assertTrue(e.getMessage().contains(c.key()), e.getMessage());
        // The value came from the parsed string, so the message points there, not at reference.conf.
        assertTrue(e.getMessage().contains("String"), e.getMessage());
    }

    record Good(String name, String policy, String hocon) {
    }

    static Stream<Good> accepted() {
        return Stream.of(
                new Good("backlog-drain: scale-down disabled by CPU 0", "backlog-drain", "scale-down-cpu = 0"),
                new Good("backlog-drain: scale-down backlog time 0", "backlog-drain", "scale-down-backlog-time = 0s"),
                new Good("backlog-drain: CPU trigger at 1", "backlog-drain", "scale-up-cpu = 1.0"),
                new Good("backlog-drain: numbers as strings", "backlog-drain", "scale-up-cpu = \"0.85\""),
                new Good("target-utilization: no restart allowance", "target-utilization", "restart-time = 0s"),
                new Good("target-utilization: zero boundary", "target-utilization", "utilization-boundary = 0"),
                new Good("lag-threshold: exponent notation", "lag-threshold", "lag-per-worker = 1e5"),
                new Good("static: many workers", "static", "workers = 500"),
                new Good("predictive: no restart, no delay", "predictive", "restart-time = 0s, metrics-delay = 0s, checkpoint-interval = 0s"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void accepts(Good c) {
        var factory = PolicyRegistry.builtIn().get(c.policy());
        assertDoesNotThrow(() -> factory.create(Fixtures.params(c.policy(), c.hocon())));
    }
}

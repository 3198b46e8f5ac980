package dev.flinkfleet.policies.governor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;

import dev.flinkfleet.policies.config.GovernorSettings;

class GovernorConfigTest {

    /** Parses {@code text} as if it came from app.conf and merges it over the reference defaults. */
    static Config block(String text) {
        return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription("app.conf"))
                .withFallback(ConfigFactory.defaultReference().getConfig(GovernorConfig.PATH));
    }

    @Test
    void defaultsMatchReferenceConf() {
        GovernorConfig d = GovernorSettings.defaults();
        assertEquals(new GovernorConfig(1, 100, 1, true, false, 0.1, Duration.ofMinutes(2), Duration.ofMinutes(10),
                Duration.ofMinutes(15), 0, 0.5, Duration.ofMinutes(5)), d);
    }

    @Test
    void readsEveryKey() {
        GovernorConfig c = GovernorSettings.read(block("""
                min-workers = 2
                max-workers = 40
                slots-per-worker = 4
                respect-max-parallelism = false
                snap-to-partition-divisor = true
                tolerance = 0
                scale-up-cooldown = 30s
                scale-down-cooldown = 0s
                scale-down-stabilization-window = 1h
                max-step-up-workers = 8
                max-step-down-fraction = 1
                max-signal-age = 90s
                """));
        assertEquals(new GovernorConfig(2, 40, 4, false, true, 0, Duration.ofSeconds(30), Duration.ZERO,
                Duration.ofHours(1), 8, 1.0, Duration.ofSeconds(90)), c);
    }

    @Test
    void everyKeyIsDocumentedInReferenceConf() {
        Config ref = ConfigFactory.defaultReference().getConfig(GovernorConfig.PATH);
        assertEquals(GovernorConfig.KEYS, ref.root().keySet());
        for (String key : GovernorConfig.KEYS) {
            assertFalse(ref.getValue(key).origin().comments().isEmpty(), key + " has no doc comment");
        }
    }

    record Bad(String name, String text, String key) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> badValues() {
        return Stream.of(
                new Bad("min-workers 0", "min-workers = 0", "min-workers"),
                new Bad("min-workers not a number", "min-workers = lots", "min-workers"),
                new Bad("max-workers below min-workers", "min-workers = 5\nmax-workers = 3", "max-workers"),
                new Bad("max-workers 0", "max-workers = 0", "max-workers"),
                new Bad("slots-per-worker 0", "slots-per-worker = 0", "slots-per-worker"),
                new Bad("respect-max-parallelism not a boolean", "respect-max-parallelism = maybe", "respect-max-parallelism"),
                new Bad("snap-to-partition-divisor not a boolean", "snap-to-partition-divisor = 3", "snap-to-partition-divisor"),
                new Bad("tolerance 1", "tolerance = 1", "tolerance"),
                new Bad("tolerance negative", "tolerance = -0.1", "tolerance"),
                new Bad("tolerance NaN-like text", "tolerance = NaN", "tolerance"),
                new Bad("scale-up-cooldown negative", "scale-up-cooldown = -1s", "scale-up-cooldown"),
                new Bad("scale-down-cooldown negative", "scale-down-cooldown = -5m", "scale-down-cooldown"),
                new Bad("scale-down-cooldown not a duration", "scale-down-cooldown = soon", "scale-down-cooldown"),
                new Bad("window negative", "scale-down-stabilization-window = -1m", "scale-down-stabilization-window"),
                new Bad("max-step-up-workers negative", "max-step-up-workers = -1", "max-step-up-workers"),
                new Bad("max-step-down-fraction 0", "max-step-down-fraction = 0", "max-step-down-fraction"),
                new Bad("max-step-down-fraction above 1", "max-step-down-fraction = 1.5", "max-step-down-fraction"),
                new Bad("max-signal-age negative", "max-signal-age = -30s", "max-signal-age"),
                new Bad("unknown key (typo)", "max-worker = 10", "max-worker"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void rejectsWithKeyAndOrigin(Bad c) {
        ConfigException e = assertThrows(ConfigException.class, () -> GovernorSettings.read(block(c.text())));
        assertTrue(e.getMessage().contains(c.key()), () -> "no key in: " + e.getMessage());
        assertTrue(e.getMessage().contains("app.conf"), () -> "no origin in: " + e.getMessage());
    }

    @Test
    void constructorGuardsProgrammaticUse() {
        assertThrows(IllegalArgumentException.class, () -> new GovernorConfig(3, 2, 1, true, false, 0.1,
                Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, 0.5, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new GovernorConfig(1, 2, 1, true, false, 0.1,
                Duration.ofSeconds(-1), Duration.ZERO, Duration.ZERO, 0, 0.5, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new GovernorConfig(1, 2, 1, true, false, 0.1,
                Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, Double.NaN, Duration.ZERO));
    }
}

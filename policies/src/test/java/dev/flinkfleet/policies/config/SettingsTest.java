package dev.flinkfleet.policies.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;

class SettingsTest {

    record Bad(String name, String hocon, Function<Config, Object> read, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> rejected() {
        return Stream.of(
                new Bad("bare number duration", "k = 60", c -> Settings.duration(c, "k", false), "needs a unit"),
                new Bad("negative duration", "k = -5s", c -> Settings.duration(c, "k", true), ">= 0"),
                new Bad("zero duration not allowed", "k = 0s", c -> Settings.duration(c, "k", false), "> 0"),
                new Bad("int below minimum", "k = 0", c -> Settings.intAtLeast(c, "k", 1), ">= 1"),
                new Bad("fraction above one", "k = 1.5", c -> Settings.fraction(c, "k", false), "(0, 1]"),
                new Bad("fraction zero not allowed", "k = 0", c -> Settings.fraction(c, "k", false), "(0, 1]"),
                new Bad("double below exclusive minimum", "k = 0", c -> Settings.doubleAtLeast(c, "k", 0, false), "> 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsWithOriginAndKey(Bad bad) {
        Config c = ConfigFactory.parseString("\n" + bad.hocon(), ConfigParseOptions.defaults().setOriginDescription("app.conf"));
        ConfigException e = assertThrows(ConfigException.class, () -> bad.read().apply(c));
        assertTrue(e.getMessage().contains("app.conf: 2"), e.getMessage());
        assertTrue(e.getMessage().contains("k"), e.getMessage());
        assertTrue(e.getMessage().contains(bad.expected()), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void readsDurationsWithUnits() {
        Config c = ConfigFactory.parseString("a = 90s\nb = 2m\nz = 0s");
        assertEquals(Duration.ofSeconds(90), Settings.duration(c, "a", false));
        assertEquals(Duration.ofMinutes(2), Settings.duration(c, "b", false));
        assertEquals(Duration.ZERO, Settings.duration(c, "z", true));
    }

    @org.junit.jupiter.api.Test
    void collectorThrowsOneProblemAsItselfAndSeveralTogether() {
        Config one = ConfigFactory.parseString("a = 0\nb = 2", ConfigParseOptions.defaults().setOriginDescription("app.conf"));
        SettingsCollector r1 = new SettingsCollector(one);
        r1.intAtLeast("a", 1);
        assertEquals(2, r1.intAtLeast("b", 1));
        assertThrows(ConfigException.BadValue.class, r1::throwIfAny);

        Config many = ConfigFactory.parseString("a = 0\nb = 2.5\nc = 60\nd = soon", ConfigParseOptions.defaults().setOriginDescription("app.conf"));
        SettingsCollector r = new SettingsCollector(many);
        r.intAtLeast("a", 1);
        r.intBetween("b", 1, 10);
        r.duration("c", false);
        r.duration("d", false);
        assertTrue(!r.allRead("a") && r.allRead("zz"));
        ConfigException.ValidationFailed e = assertThrows(ConfigException.ValidationFailed.class, r::throwIfAny);
        java.util.List<String> keys = new java.util.ArrayList<>();
        e.problems().forEach(p -> keys.add(p.path() + "@" + p.origin().lineNumber()));
        assertEquals(java.util.List.of("a@1", "b@2", "c@3", "d@4"), keys);
    }
}

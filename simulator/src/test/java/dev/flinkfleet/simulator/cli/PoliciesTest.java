package dev.flinkfleet.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.governor.DefaultGovernor;
import dev.flinkfleet.simulator.BadInputException;
import dev.flinkfleet.simulator.PolicyStrategy;

class PoliciesTest {

    @Test
    void gridOverridesReachTheGovernorAndTheNameSaysWhich() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("params.time-to-drain", "30s");
        o.put("governor.scale-down-cooldown", "5m");
        PolicyStrategy s = assertInstanceOf(PolicyStrategy.class, Policies.loader().load("backlog-drain", o, "x"));
        DefaultGovernor g = assertInstanceOf(DefaultGovernor.class, s.governor());
        assertEquals(Duration.ofMinutes(5), g.config().scaleDownCooldown());
        assertEquals("backlog-drain [x]", s.name());
    }

    @Test
    void policyFileIsLoadedAsTheDaemonLoadsIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path f = dir.resolve("myapp.conf");
        java.nio.file.Files.writeString(f, "application {\n  policy = \"backlog-drain\"\n  governor { tolerance = 0.2 }\n}\n");
        PolicyStrategy s = assertInstanceOf(PolicyStrategy.class, Policies.loader().load(f.toString(), Map.of(), null));
        assertEquals("myapp", s.name());
        assertEquals(0.2, assertInstanceOf(DefaultGovernor.class, s.governor()).config().tolerance());
        PolicyStrategy swept = assertInstanceOf(PolicyStrategy.class,
                Policies.loader().load(f.toString(), Map.of("governor.tolerance", "0.3"), "governor.tolerance=0.3"));
        assertEquals(0.3, assertInstanceOf(DefaultGovernor.class, swept.governor()).config().tolerance());
    }

    @Test
    void badPolicyFileNamesFileAndLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path f = dir.resolve("myapp.conf");
        java.nio.file.Files.writeString(f, "application {\n  policy = \"backlog-drain\"\n  params { time-to-drown = 30s }\n}\n");
        BadInputException e = assertThrows(BadInputException.class, () -> Policies.loader().load(f.toString(), Map.of(), null));
        assertTrue(e.getMessage().contains("myapp.conf:3"), e.getMessage());
    }

    /** A bad grid value over a policy file: the error cites the user's file and the --grid value, no temp file. */
    record BadGrid(String name, String file, Map<String, String> grid, String[] says) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadGrid> badGrids() {
        String app = "application {\n  policy = \"backlog-drain\"\n  params {\n    scale-up-cpu = 0.8\n  }\n}\n";
        return Stream.of(
                new BadGrid("value out of range", app, Map.of("governor.tolerance", "2"),
                        new String[] {"myapp.conf: --grid governor.tolerance=2: application.governor.tolerance: must be a fraction"}),
                new BadGrid("rule broken against the file's value", app, Map.of("params.scale-down-cpu", "0.9"),
                        new String[] {"myapp.conf: --grid params.scale-down-cpu=0.9: application.params.scale-down-cpu: must be below scale-up-cpu"}),
                new BadGrid("grid value that is not HOCON", app, Map.of("governor.tolerance", "[0.1"),
                        new String[] {"myapp.conf: --grid governor.tolerance=[0.1: syntax"}),
                new BadGrid("unknown grid key", app, Map.of("params.time-to-drown", "30s"),
                        new String[] {"myapp.conf: --grid params.time-to-drown=30s: application.params.time-to-drown: unknown key"}),
                new BadGrid("file problem and grid problem together", app.replace("scale-up-cpu = 0.8", "scale-up-cpu = 2"),
                        Map.of("governor.max-workers", "10.5"),
                        new String[] {"myapp.conf:4: application.params.scale-up-cpu", "--grid governor.max-workers=10.5: application.governor.max-workers: must be a whole number"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badGrids")
    void badGridValuesCiteTheUsersFileNotATempFile(BadGrid c, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path f = dir.resolve("myapp.conf");
        java.nio.file.Files.writeString(f, c.file());
        BadInputException e = assertThrows(BadInputException.class, () -> Policies.loader().load(f.toString(), c.grid(), "g"));
        for (String says : c.says()) {
            assertTrue(e.getMessage().contains(says.startsWith("myapp.conf") ? dir.resolve(says).toString() : says), "expected '" + says + "' in: " + e.getMessage());
        }
        assertTrue(!e.getMessage().contains("flinkfleet-sweep") && !e.getMessage().contains(System.getProperty("java.io.tmpdir") + "/flinkfleet"), e.getMessage());
        assertTrue(e.getMessage().contains("(grid point g)"), e.getMessage());
    }

    record Bad(String name, String spec, String key, String value, String says) {
    }

    static Stream<Bad> bad() {
        return Stream.of(
                new Bad("unknown param", "backlog-drain", "params.time-to-drown", "30s", "params.time-to-drown"),
                new Bad("unknown governor key", "static", "governor.tolerence", "0.1", "governor.tolerence"),
                new Bad("out of range", "backlog-drain", "governor.tolerance", "-1", "tolerance"),
                new Bad("unknown policy", "no-such-policy", "params.a", "1", "no-such-policy"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void badOverridesAreBadInput(Bad c) {
        BadInputException e = assertThrows(BadInputException.class, () -> Policies.loader().load(c.spec(), Map.of(c.key(), c.value()), "x"));
        assertTrue(e.getMessage().contains(c.says()), e.getMessage());
    }
}

package dev.flinkfleet.autoscaler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.StringWriter;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.policies.config.Settings;

/** A duration typed on the command line reads as the same text does in a policy file. */
class DurationsTest {

    record Case(String text, Duration expected, String error) {
        @Override
        public String toString() {
            return "'" + text + "'";
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("90s", Duration.ofSeconds(90), null),
                new Case("5m", Duration.ofMinutes(5), null),
                new Case("5 minutes", Duration.ofMinutes(5), null),
                new Case("1h", Duration.ofHours(1), null),
                new Case("1.5 hours", Duration.ofMinutes(90), null),
                new Case("500ms", Duration.ofMillis(500), null),
                new Case("2 days", Duration.ofDays(2), null),
                new Case("5", null, "needs a unit"),
                new Case("soon", null, "not a duration"),
                new Case("5 fortnights", null, "not a duration"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void commandLineAndPolicyFilesAgree(Case c) {
        String policy = "governor.cooldown = " + c.text();
        if (c.error() == null) {
            assertEquals(c.expected(), Durations.parse("--since", c.text()));
            assertEquals(c.expected(), Settings.duration(ConfigFactory.parseString(policy), "governor.cooldown", true));
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("--since", c.text()));
            assertTrue(e.getMessage().startsWith("--since: ") && e.getMessage().contains(c.error()), e.getMessage());
            assertThrows(ConfigException.class, () -> Settings.duration(ConfigFactory.parseString(policy), "governor.cooldown", true));
        }
    }

    @Test
    void anOptionTakesTheLongSpelling(@TempDir Path dir) throws IOException {
        Path policy = Files.writeString(dir.resolve("lag.conf"), "application { policy = \"lag-threshold\" }\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "policy", "explain", "--policy", policy.toString(),
                "--signals", "input-rate=1000", "throughput=1000", "backlog=0", "cpu=0.5", "workers=4", "--since-last-scale", "5 minutes");
        assertEquals(0, code, err.toString() + out);
        assertTrue(out.toString().contains("last rescale 5m ago"), out.toString());
    }
}

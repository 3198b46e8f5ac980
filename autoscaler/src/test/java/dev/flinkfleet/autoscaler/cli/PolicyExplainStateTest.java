package dev.flinkfleet.autoscaler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.TrafficProfile;

/** {@code policy explain --state}: the job's governor-state annotation, so the forecast is the one the daemon would use. */
class PolicyExplainStateTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void files() throws IOException {
        Files.writeString(dir.resolve("predictive.conf"), "application { policy = predictive }\n");
        // Two days of a flat 1000 events/s up to a minute ago: warm, whatever the time of day now.
        Instant end = Instant.now().minusSeconds(60);
        Instant t = end.minusSeconds(2 * 86_400);
        TrafficProfile p = TrafficProfile.first(t, 1000);
        for (t = t.plusSeconds(60); !t.isAfter(end); t = t.plusSeconds(60)) {
            p = p.observe(t, 1000);
        }
        new ObjectMapper().writeValue(dir.resolve("state.json").toFile(), GovernorState.empty().withProfile(p).toMap());
        Files.writeString(dir.resolve("broken.json"), "[1, 2");
    }

    record Case(String name, String state, int code, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a learned profile forecasts", "state.json", 0,
                        List.of("of history, warm, surprise 1 ×", "forecast from the traffic profile", "profile-warm 1")),
                new Case("without a state the forecast is the input", null, 0,
                        List.of("of history, cold (under a day)", "cold (reactive)")),
                new Case("a malformed state file is a usage error", "broken.json", 2, List.of("--state", "not a governor-state JSON object")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void explainsWithTheJobsState(Case c) {
        List<String> args = new java.util.ArrayList<>(List.of("policy", "explain", "--policy", dir.resolve("predictive.conf").toString(),
                "--signals", "input-rate=1000", "throughput=1000", "backlog=0", "cpu=0.5", "workers=4"));
        if (c.state() != null) {
            args.addAll(List.of("--state", dir.resolve(c.state()).toString()));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        assertEquals(c.code(), code, "out:\n" + out + "\nerr:\n" + err);
        String text = (c.code() == 0 ? out.toString() : err.toString()).replaceAll(" +", " ");
        for (String e : c.expected()) {
            assertTrue(text.contains(e), "expected '" + e + "' in:\n" + text);
        }
    }
}

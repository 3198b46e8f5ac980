package dev.flinkfleet.autoscaler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.flinkfleet.policies.GovernorState;

/** {@code policy explain} says in words why an excluded period held a scale-down and why a fallback raised a job. */
class PolicyExplainGovernorRulesTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void files() throws IOException {
        // Every second of every day is excluded, so the case does not depend on when the test runs.
        Files.writeString(dir.resolve("excluded.conf"), """
                application {
                  policy = lag-threshold
                  params { lag-per-worker = 1000 }
                  governor { excluded-periods = ["* * * * * ?"], scale-down-cooldown = 0s, scale-down-stabilization-window = 0s, tolerance = 0 }
                }
                """);
        Files.writeString(dir.resolve("fallback.conf"), """
                application {
                  policy = lag-threshold
                  governor { fallback-workers = 6, fallback-after = 10m, scale-up-cooldown = 0s }
                }
                """);
        new ObjectMapper().writeValue(dir.resolve("missing-20m.json").toFile(),
                GovernorState.empty().withSignalsMissing(true, Instant.now().minusSeconds(20 * 60)).toMap());
    }

    record Case(String name, String policy, String state, List<String> signals, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("excluded period holds a scale-down", "excluded.conf", null, List.of("backlog=2000", "workers=8"),
                        List.of("HOLD_EXCLUDED_PERIOD 2 -> 8", "inside the excluded period '* * * * * ?' (UTC); no scale-down until it ends")),
                new Case("excluded period lets a scale-up through", "excluded.conf", null, List.of("backlog=8000", "workers=4"),
                        List.of("decision SCALE_UP_LAG: 4 -> 8 workers")),
                new Case("signals missing 20 min: raised to the fallback", "fallback.conf", "missing-20m.json", List.of("workers=2"),
                        List.of("needed signals missing since", "SCALE_UP_FALLBACK 2 -> 6", "raised to fallback-workers 6", "(fallback never lowers a job)")),
                new Case("first cycle without signals: held, the clock starts", "fallback.conf", null, List.of("workers=2"),
                        List.of("decision HOLD_INSUFFICIENT_SIGNALS: hold at 2 workers")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void saysWhy(Case c) {
        List<String> args = new ArrayList<>(List.of("policy", "explain", "--policy", dir.resolve(c.policy()).toString(), "--signals"));
        args.addAll(c.signals());
        if (c.state() != null) {
            args.addAll(List.of("--state", dir.resolve(c.state()).toString()));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        assertEquals(0, code, "out:\n" + out + "\nerr:\n" + err);
        String text = out.toString().replaceAll(" +", " ");
        for (String e : c.expected()) {
            assertTrue(text.contains(e), "expected '" + e + "' in:\n" + text);
        }
    }
}

package dev.flinkfleet.autoscaler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code policy explain} takes only signals inside their domain; NaN or leaving one out is the only way to say missing. */
class PolicyExplainSignalsTest {

    @TempDir
    static Path dir;

    static Path policy;

    @BeforeAll
    static void policyFile() throws IOException {
        policy = dir.resolve("app.conf");
        Files.writeString(policy, "application { policy = backlog-drain }\n");
    }

    /** Signals given, the exit code, and what stdout (exit 0) or stderr (exit 2) must contain. */
    record Case(List<String> signals, int code, List<String> expected) {
        @Override
        public String toString() {
            return signals.isEmpty() ? "(no signals)" : String.join(" ", signals);
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(List.of("cpu=-1"), 2, List.of("cpu: must be a busy fraction in [0, 1]", "got '-1'")),
                new Case(List.of("cpu=5"), 2, List.of("cpu: must be a busy fraction in [0, 1]", "got '5'")),
                new Case(List.of("cpu=1.0000001"), 2, List.of("cpu: must be a busy fraction in [0, 1]")),
                new Case(List.of("backlog=-5"), 2, List.of("backlog: must be >= 0, got '-5'")),
                new Case(List.of("throughput=-0.5"), 2, List.of("throughput: must be >= 0")),
                new Case(List.of("input-rate=-1"), 2, List.of("input-rate: must be >= 0")),
                new Case(List.of("watermark-lag=-3"), 2, List.of("watermark-lag: must be >= 0")),
                new Case(List.of("backlog=1e400"), 2, List.of("backlog: out of range: '1e400'")),
                new Case(List.of("cpu=Infinity"), 2, List.of("cpu: not a decimal number: 'Infinity'")),
                new Case(List.of("backlog=-Infinity"), 2, List.of("backlog: not a decimal number: '-Infinity'")),
                new Case(List.of("backlog=0x10p0"), 2, List.of("backlog: not a decimal number")),
                new Case(List.of("backlog=1d"), 2, List.of("backlog: not a decimal number: '1d'")),
                new Case(List.of("max-parallelism=0"), 2, List.of("max-parallelism: must be >= 1, got 0 (leave it out when unknown)")),
                new Case(List.of("parallelism=0"), 2, List.of("parallelism: must be >= 1, got 0")),
                new Case(List.of("workers=2.5"), 2, List.of("workers: not a whole number: '2.5'")),
                new Case(List.of("workers=99999999999"), 2, List.of("workers: not a whole number")),
                new Case(List.of("cpu=0.5@-1"), 2, List.of("cpu: age must be seconds >= 0")),
                new Case(List.of("cpu=0.5@1e999"), 2, List.of("cpu age: out of range")),
                new Case(List.of("cpu=-1", "backlog=-5", "max-parallelism=0", "backlog-time=NaNx"), 2,
                        List.of("cpu: must be a busy fraction", "backlog: must be >= 0", "max-parallelism: must be >= 1",
                                "backlog-time: not a decimal number")),
                new Case(List.of("cpu=NaN"), 0, List.of("cpu - MISSING")),
                new Case(List.of("cpu=nan", "backlog=NAN"), 0, List.of("cpu - MISSING", "backlog - MISSING")),
                new Case(List.of("backlog-growth=-100", "cpu=0", "backlog=0", "throughput=1e3", "workers=2"), 0,
                        List.of("backlog-growth -100 FRESH", "cpu 0 FRESH", "throughput 1000 FRESH")),
                new Case(List.of("cpu=1", "max-parallelism=1"), 0, List.of("cpu 1 FRESH", "max parallelism 1")),
                new Case(List.of(), 0, List.of("cpu - MISSING")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void signalsOutsideTheirDomainAreErrors(Case c) {
        List<String> args = new java.util.ArrayList<>(List.of("policy", "explain", "--policy", policy.toString()));
        if (!c.signals().isEmpty()) {
            args.add("--signals");
            args.addAll(c.signals());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        assertEquals(c.code(), code, "out:\n" + out + "\nerr:\n" + err);
        // Columns are padded; compare with runs of spaces folded to one.
        String text = (c.code() == 0 ? out.toString() : err.toString()).replaceAll(" +", " ");
        for (String e : c.expected()) {
            assertTrue(text.contains(e), "expected '" + e + "' in:\n" + text);
        }
    }
}

package dev.flinkfleet.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import picocli.CommandLine;

/**
 * {@code --engine} and {@code --flink-cluster}: a wrong choice is an error naming the option, before anything is
 * replayed or written; without the simulator-flink module (not on this module's class path) the default is the
 * in-process path.
 */
class EngineOptionsTest {

    @TempDir
    Path dir;

    /**
     * @param name what the case covers
     * @param args the engine options
     * @param exit the expected exit code
     * @param says what stderr must contain
     */
    record Case(String name, List<String> args, int exit, String says) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("default without the flink module: in process", List.of(), 0, "on the local engine"),
                new Case("local", List.of("--engine", "local"), 0, "on the local engine"),
                new Case("flink without the module", List.of("--engine", "flink"), 1, "error: --engine 'flink': not available here; known: [local]"),
                new Case("an unknown engine", List.of("--engine", "spark"), 1, "error: --engine 'spark': not available here; known: [local]"),
                new Case("a cluster without a port", List.of("--flink-cluster", "jobmanager"), 1, "error: --flink-cluster 'jobmanager': expected HOST:PORT"),
                new Case("a cluster with the local engine", List.of("--engine", "local", "--flink-cluster", "jobmanager:8081"), 1,
                        "error: --flink-cluster needs --engine flink"),
                new Case("a cluster without the module", List.of("--flink-cluster", "jobmanager:8081"), 1, "error: --engine 'flink': not available here"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sweepChoosesItsEngine(Case c) throws IOException {
        StringBuilder trace = new StringBuilder("timestamp,events_per_second\n");
        for (int i = 0; i < 120; i++) {
            trace.append(java.time.Instant.parse("2024-01-01T00:00:00Z").plusSeconds(60L * i)).append(",100\n");
        }
        Path t = Files.writeString(dir.resolve("t.csv"), trace);
        List<String> args = new ArrayList<>(List.of("--trace", t.toString(), "--policy", "backlog-drain",
                "--grid", "params.time-to-drain=30s,60s", "--no-baselines", "--out", dir.resolve("out").toString()));
        args.addAll(c.args());
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new SweepCommand());
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        assertEquals(c.exit(), cl.execute(args.toArray(String[]::new)), err.toString());
        assertTrue(err.toString().contains(c.says()), "expected '" + c.says() + "' in: " + err);
        assertEquals(c.exit() == 0, Files.exists(dir.resolve("out/pareto.json")), "pareto.json written only on success");
    }
}

package dev.flinkfleet.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.config.ApplicationPolicy;
import dev.flinkfleet.policies.config.PolicyFiles;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.model.JobModelFile;
import dev.flinkfleet.simulator.sweep.TrainTestSplit;
import dev.flinkfleet.simulator.trace.Trace;
import picocli.CommandLine;

class TuneCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new TuneCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Six hours of steady traffic at one-minute rows: no burst to absorb, so a higher target utilization is simply cheaper. */
    Path steadyTrace() throws IOException {
        StringBuilder sb = new StringBuilder("timestamp,events_per_second\n");
        for (int i = 0; i < 360; i++) {
            sb.append(Instant.parse("2024-01-01T00:00:00Z").plusSeconds(60L * i)).append(",100\n");
        }
        return Files.writeString(dir.resolve("steady.csv"), sb);
    }

    Path policyFile() throws IOException {
        return Files.writeString(dir.resolve("p.conf"), """
                # a tenant's policy
                application {
                  name = "steady-app"
                  policy = "target-utilization"
                  params {
                    target-utilization = 0.5
                  }
                  governor {
                    scale-down-cooldown = 10m
                  }
                }
                """);
    }

    @Test
    void picksTheCheaperSettingAndWritesALoadablePolicyWithIt() throws IOException {
        Path out = dir.resolve("tuned");
        Run r = run("--trace", steadyTrace().toString(), "--policy", policyFile().toString(), "--rounds", "2",
                "--param", "params.target-utilization=0.5..0.9", "--param", "governor.scale-down-cooldown=1m..5m", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("winner: params.target-utilization=0.9 "), r.out());
        assertTrue(r.out().contains("train (first 70%)") && r.out().contains("test (last 30%)"), r.out());

        JsonNode tune = new ObjectMapper().readTree(out.resolve("tune.json").toFile());
        assertEquals("0.9", tune.at("/winner/params/params.target-utilization").asText());
        assertTrue(tune.at("/zero_sla").asBoolean(), tune.toString());
        // Round 1 tries 3 × 3 settings; round 2 halves the spans around the winner and only runs the new ones.
        assertTrue(tune.at("/tried").size() > 9, tune.toString());
        double winnerCost = tune.at("/winner/train/cost_ratio").asDouble();
        for (JsonNode t : tune.at("/tried")) {
            if (t.at("/params/params.target-utilization").asText().equals("0.5")) {
                assertTrue(winnerCost < t.at("/train/cost_ratio").asDouble(), tune.toString());
            }
        }
        assertTrue(tune.at("/winner_test/cost_ratio").isNumber(), tune.toString());
        assertTrue(Files.readString(out.resolve("pareto.html")).contains("steady-app"));

        Path tuned = out.resolve("tuned-steady-app.conf");
        ApplicationPolicy app = PolicyFiles.loadFile(tuned, PolicyRegistry.builtIn());
        assertEquals("steady-app", app.name());
        assertEquals(Duration.parse("PT" + tune.at("/winner/params/governor.scale-down-cooldown").asText().toUpperCase()),
                app.governorConfig().scaleDownCooldown());
        assertEquals(0.9, ConfigFactory.parseFile(tuned.toFile()).getDouble("application.params.target-utilization"));
        assertTrue(Files.readString(tuned).startsWith("# a tenant's policy\n"), "keeps the original text");
    }

    record SplitCase(int rows, double fraction, int cut) {
    }

    static Stream<SplitCase> splits() {
        return Stream.of(new SplitCase(10, 0.7, 7), new SplitCase(10, 0.75, 7), new SplitCase(1440, 0.7, 1008), new SplitCase(3, 0.5, 1));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void splitsEachTraceByTimeAndKeepsTheWholeTracesScale(SplitCase c) {
        double[] rates = new double[c.rows()];
        Arrays.setAll(rates, i -> i + 1);
        Instant start = Instant.parse("2024-01-01T00:00:00Z");
        SimContext.Setup whole = SimContext.Setup.of(new Trace("t", "t.csv", start, 60, rates), JobModelFile.defaults().modelFor("t.csv"));
        TrainTestSplit s = TrainTestSplit.of(whole, c.fraction());
        assertEquals(c.cut(), s.train().trace().length());
        assertEquals(c.rows() - c.cut(), s.test().trace().length());
        assertEquals(start, s.train().trace().start());
        assertEquals(start.plusSeconds(60L * c.cut()), s.test().trace().start());
        assertArrayEquals(Arrays.copyOfRange(rates, c.cut(), c.rows()), s.test().trace().rates());
        assertEquals(whole.scale(), s.test().scale());
        assertEquals(whole.scale(), s.train().scale());
    }

    record BadParam(String name, String[] args, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadParam> badParams() {
        return Stream.of(
                new BadParam("key outside params/governor", new String[] {"--param", "policy=1..2"}, "--param 'policy=1..2': key must be params.<key> or governor.<key>"),
                new BadParam("no range", new String[] {"--param", "params.x=0.5"}, "--param 'params.x=0.5': expected a range lo..hi"),
                new BadParam("reversed", new String[] {"--param", "params.x=0.9..0.5"}, "lo must be below hi"),
                new BadParam("number and duration", new String[] {"--param", "governor.tolerance=1..5m"}, "both ends must be numbers or both durations"),
                new BadParam("same key twice", new String[] {"--param", "params.x=1..2", "--param", "params.x=3..4"}, "--param: key 'params.x' given twice"),
                new BadParam("fraction", new String[] {"--train-fraction", "1"}, "--train-fraction 1.0: must be between 0 and 1"));
    }

    @ParameterizedTest
    @MethodSource("badParams")
    void badOptionsAreUsageErrorsNamingTheOption(BadParam c) throws IOException {
        String[] base = {"--trace", steadyTrace().toString(), "--policy", policyFile().toString(), "--out", dir.resolve("o").toString()};
        String[] args = Stream.concat(Arrays.stream(base), Arrays.stream(c.args())).toArray(String[]::new);
        Run r = run(args);
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains(c.expected()), r.err());
        assertTrue(!Files.exists(dir.resolve("o")), "nothing written");
    }
}

package dev.flinkfleet.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.flinkfleet.simulator.Fakes;
import dev.flinkfleet.simulator.PolicyLoader;
import dev.flinkfleet.simulator.report.Summary;
import picocli.CommandLine;

class CommandsTest {

    @TempDir
    Path dir;

    final PolicyLoader loader = Fakes.fitInputLoader(1000);

    record Run(int exit, String out, String err) {
    }

    Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    Path trace(String name, double... rates) throws IOException {
        StringBuilder sb = new StringBuilder("timestamp,events_per_second\n");
        for (int i = 0; i < rates.length; i++) {
            sb.append(java.time.Instant.parse("2024-01-01T00:00:00Z").plusSeconds(60L * i)).append(',').append(rates[i]).append('\n');
        }
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, sb);
        return f;
    }

    static double[] wave(int n, double phase) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = 2 + Math.sin(i / 30.0 + phase);
        }
        return r;
    }

    @Test
    void samePolicyTraceAndSeedGiveByteIdenticalSummaries() throws IOException {
        Path t = trace("fleet/a.csv", wave(600, 0));
        trace("fleet/b.csv", wave(600, 2));
        Path job = dir.resolve("job.conf");
        Files.writeString(job, "target-peak-workers = 20\noverrides { \"b.csv\" { restart-seconds = 30 } }\n");
        for (String out : List.of("one", "two")) {
            Run r = run(new SimulateCommand(loader), "--trace", t.getParent().toString(), "--job", job.toString(),
                    "--policy", "fit", "--baselines", "--out", dir.resolve(out).toString());
            assertEquals(0, r.exit(), r.err());
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("one/summary.json")), Files.readAllBytes(dir.resolve("two/summary.json")));
    }

    @Test
    void qualityHasACellPerModelTraceAndStrategyEqualToSimulatesHeadline() throws IOException {
        Path single = trace("one.csv", wave(900, 0));
        Path folder = trace("fleet/a.csv", wave(900, 0)).getParent();
        trace("fleet/b.csv", wave(900, 1));
        Path job = dir.resolve("job.conf");
        Files.writeString(job, "target-peak-workers = 12\nrestart-seconds = 30\n");
        Run q = run(new QualityCommand(loader), "--trace", single.toString(), "--trace", folder.toString(),
                "--job", "default", "--job", job.toString(), "--policy", "fit", "--baselines", "--out", dir.resolve("q").toString());
        assertEquals(0, q.exit(), q.err());
        JsonNode cells = new ObjectMapper().readTree(dir.resolve("q/quality.json").toFile());
        assertEquals(2 * 2 * 7, cells.size());
        // Every cell is simulate's headline for the same input: the fleet total for a folder, else the job.
        Run s = run(new SimulateCommand(loader), "--trace", folder.toString(), "--job", job.toString(), "--policy", "fit",
                "--out", dir.resolve("s").toString());
        assertEquals(0, s.exit(), s.err());
        JsonNode total = new ObjectMapper().readTree(dir.resolve("s/summary.json").toFile()).get(2);
        JsonNode cell = null;
        for (JsonNode c : cells) {
            if (c.get("model").asText().equals(job.toString()) && c.get("trace").asText().equals("fleet (fleet)")
                    && c.get("strategy").asText().equals("fit")) {
                cell = c;
            }
        }
        assertTrue(cell != null, cells.toString());
        // summary.json rounds to six decimals.
        assertEquals(total.get("cost_ratio").asDouble(), cell.get("costRatio").asDouble(), 1e-6);
        assertEquals(total.get("rescales").asInt(), cell.get("rescales").asInt());
        assertEquals(2, cell.get("jobs").asInt());
        assertEquals(total.get("rescales").asInt() / (2 * cell.get("days").asDouble()), cell.get("rescalesPerJobDay").asDouble(), 1e-9);
        String md = Files.readString(dir.resolve("q/quality.md"));
        assertTrue(md.contains("| trace | fit | static-peak |"), md);
        assertTrue(md.contains("| fleet (fleet) |") && md.contains("| one |"), md);
        assertEquals(2, md.split("Job model: ", -1).length - 1, md);
    }

    @Test
    void qualityWithNothingToRunIsAnError() throws IOException {
        Run q = run(new QualityCommand(loader), "--trace", trace("one.csv", wave(60, 0)).toString(), "--out", dir.resolve("q").toString());
        assertEquals(1, q.exit());
        assertTrue(q.err().contains("nothing to run"), q.err());
    }

    @Test
    void summaryHasOneRowPerPolicyAndJobPlusFleetTotals() throws IOException {
        Path folder = trace("fleet/a.csv", wave(300, 0)).getParent();
        trace("fleet/b.csv", wave(300, 1));
        Run r = run(new SimulateCommand(loader), "--trace", folder.toString(), "--policy", "fit", "--baselines", "--out", dir.resolve("o").toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode rows = new ObjectMapper().readTree(dir.resolve("o/summary.json").toFile());
        List<String> policies = List.of("fit", "static-peak", "backlog-drain", "target-utilization", "lag-threshold", "hindsight", "reference");
        assertEquals(policies.size() * 3, rows.size());
        for (int p = 0; p < policies.size(); p++) {
            JsonNode a = rows.get(3 * p);
            JsonNode b = rows.get(3 * p + 1);
            JsonNode total = rows.get(3 * p + 2);
            assertEquals(policies.get(p), total.get("policy").asText());
            assertEquals(List.of("a", "b", Summary.TOTAL), List.of(a.get("job").asText(), b.get("job").asText(), total.get("job").asText()));
            assertEquals(a.get("vcpu_hours").asDouble() + b.get("vcpu_hours").asDouble(), total.get("vcpu_hours").asDouble(), 1e-5);
            for (String field : List.of("work_bound_vcpu_hours", "cost_ratio", "sla_violation_minutes", "latency_p50_s", "latency_p99_s",
                    "latency_max_s", "rescales", "downtime_minutes", "max_backlog_records", "budget_holds")) {
                assertTrue(total.has(field), field);
            }
        }
        String html = Files.readString(dir.resolve("o/report.html"));
        assertTrue(html.contains("echarts"), "ECharts is inlined");
        assertTrue(!html.contains("<script src"), "self-contained");
    }

    record BadInput(String name, String file, String content, String flag, String where) {
    }

    static Stream<BadInput> badInputs() {
        return Stream.of(
                new BadInput("bad trace row", "t.csv", "timestamp,events_per_second\n2024-01-01T00:00:00Z,1\n2024-01-01T00:01:00Z,-1\n", "--trace", "t.csv:3:"),
                new BadInput("unknown job key", "job.conf", "per-worker-eps = 5\nrestart-secs = 3\n", "--job", "job.conf:2:"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputExitsOneNamingFileAndLine(BadInput c) throws IOException {
        Path f = dir.resolve(c.file());
        Files.writeString(f, c.content());
        Run r = run(new SimulateCommand(loader), c.flag(), f.toString(), "--policy", "fit", "--out", dir.resolve("o").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains(c.where()), r.err());
    }

    @Test
    void overrideForAFileThatIsNotATraceIsAnError() throws IOException {
        Path t = trace("a.csv", wave(10, 0));
        Path job = dir.resolve("job.conf");
        Files.writeString(job, "overrides { \"AAPL.csv\" { trace-scale = 2 } }\n");
        Run r = run(new SimulateCommand(loader), "--trace", t.toString(), "--job", job.toString(), "--out", dir.resolve("o").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("AAPL.csv"), r.err());
        assertTrue(r.err().contains(job + ":1: job model overrides"), r.err());
    }

    @Test
    void sweepWritesEveryGridPointTheFrontierAndBaselines() throws IOException {
        Path t = trace("a.csv", wave(300, 0));
        Run r = run(new SweepCommand(loader), "--trace", t.toString(), "--policy", "fit", "--grid", "params.x=1,2,3",
                "--grid", "governor.tolerance=0.1,0.2", "--out", dir.resolve("s").toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode p = new ObjectMapper().readTree(dir.resolve("s/pareto.json").toFile());
        assertEquals(6, p.get("points").size());
        assertEquals(6, p.get("baselines").size()); // static-peak, three built-ins, hindsight, reference
        assertTrue(p.get("points").get(0).get("params").has("params.x"));
        boolean any = false;
        for (JsonNode n : p.get("points")) {
            any |= n.get("pareto").asBoolean();
        }
        assertTrue(any, "some point is on the frontier");
        assertTrue(r.err().contains("12/12"), "progress reaches the end: " + r.err()); // 6 points + 6 baselines
        assertTrue(Files.readString(dir.resolve("s/pareto.html")).contains("Pareto frontier"));
    }

    @Test
    void sweepReportsEveryBadGridValueOnceCitingTheUsersFile() throws IOException {
        Path t = trace("a.csv", wave(10, 0));
        Path policy = dir.resolve("myapp.conf");
        Files.writeString(policy, "application {\n  policy = \"backlog-drain\"\n  params {\n    scale-up-cpu = 0.8\n  }\n}\n");
        Run r = run(new SweepCommand(Policies.loader()), "--trace", t.toString(), "--policy", policy.toString(),
                "--grid", "governor.max-workers=10,10.5", "--grid", "params.scale-down-cpu=0.9,0.1", "--out", dir.resolve("s").toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("2 problems"), r.err());
        assertTrue(r.err().contains(policy + ": --grid params.scale-down-cpu=0.9: application.params.scale-down-cpu: must be below scale-up-cpu"), r.err());
        assertTrue(r.err().contains(policy + ": --grid governor.max-workers=10.5: application.governor.max-workers: must be a whole number"), r.err());
        assertTrue(!r.err().contains("flinkfleet-sweep"), "no temp file: " + r.err());
    }

    @Test
    void gridKeysOutsideParamsAndGovernorAreRejected() throws IOException {
        Path t = trace("a.csv", wave(10, 0));
        Run r = run(new SweepCommand(loader), "--trace", t.toString(), "--policy", "fit", "--grid", "policy=a,b", "--out", dir.resolve("s").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("params.<key> or governor.<key>"), r.err());
    }
}

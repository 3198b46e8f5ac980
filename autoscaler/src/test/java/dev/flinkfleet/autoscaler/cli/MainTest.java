package dev.flinkfleet.autoscaler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.flinkfleet.policies.config.Reference;

class MainTest {

    @TempDir
    static Path dir;

    static Path good;
    static Path bad;
    static Path overlapping;

    /** What one run printed and returned. */
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeEach
    void files() throws IOException {
        good = Files.createDirectories(dir.resolve("good"));
        Files.writeString(good.resolve("fw.conf"), """
                application {
                  select { namespaces = [security], names = ["fw-*"] }
                  policy = static
                  params { workers = 500 }
                  governor { max-workers = 8 }
                  sla-latency = 10m
                }
                """);
        Files.writeString(good.resolve("siem.conf"), """
                application {
                  select { namespaces = [security], names = ["siem-*"] }
                  policy = static
                }
                """);
        Files.writeString(dir.resolve("idle.conf"), "application {\n  policy = sla-headroom\n}\n");
        bad = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(bad.resolve("x.conf"), "application {\n  policy = static\n  governor { max-worker = 3 }\n}\n");
        overlapping = Files.createDirectories(dir.resolve("overlap"));
        Files.writeString(overlapping.resolve("a.conf"), "application {\n  select { names = [\"fw-*\"] }\n  policy = static\n}\n");
        Files.writeString(overlapping.resolve("b.conf"), "application {\n  select { names = [\"*-eu\"] }\n  policy = static\n}\n");
        Files.writeString(dir.resolve("jobs.txt"), """
                # inventory
                security/fw-eu      sink=bigquery
                security/siem-1
                security/other
                """);
        Files.writeString(dir.resolve("overlap-jobs.txt"), "prod/fw-eu\nprod/fw-us\n");
        Files.writeString(dir.resolve("bad-jobs.txt"), "\nnot-a-job\n");
    }

    /** One command line: expected exit code, and text that must appear in stdout or stderr ({dir}: the temp dir). */
    record Case(String name, Function<Path, String[]> args, int code, List<String> inOut, List<String> inErr) {
    }

    static String[] a(String... args) {
        return args;
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("no subcommand is a usage error", d -> a(), 2, List.of(), List.of("Missing required subcommand")),
                new Case("policy alone is a usage error", d -> a("policy"), 2, List.of(), List.of("Missing required subcommand")),
                new Case("unknown option", d -> a("policy", "list", "--bogus"), 2, List.of(), List.of("Unknown option: '--bogus'")),
                new Case("help", d -> a("--help"), 0, List.of("policy"), List.of()),
                new Case("check without DIR", d -> a("policy", "check"), 2, List.of(), List.of("Missing required parameter: 'DIR'")),
                new Case("check valid dir", d -> a("policy", "check", d.resolve("good").toString()), 0,
                        List.of("fw: policy static, SLA 10m, select namespaces=[security] names=[fw-*]",
                                "siem: policy static, SLA 5m", "2 applications, OK"),
                        List.of()),
                new Case("check invalid dir", d -> a("policy", "check", d.resolve("bad").toString()), 1,
                        List.of("ERROR {dir}/bad/x.conf:3: application.governor.max-worker: unknown key; did you mean 'max-workers'?", "1 error"),
                        List.of()),
                new Case("check missing dir", d -> a("policy", "check", d.resolve("nope").toString()), 1,
                        List.of("cannot list policy directory"), List.of()),
                new Case("check warns about overlaps", d -> a("policy", "check", d.resolve("overlap").toString()), 0,
                        List.of("WARN applications a ({dir}/overlap/a.conf) and b ({dir}/overlap/b.conf) may select the same jobs"),
                        List.of()),
                new Case("check without overlap warns nothing", d -> a("policy", "check", d.resolve("good").toString()), 0, List.of(), List.of()),
                new Case("check with jobs", d -> a("policy", "check", d.resolve("good").toString(), "--jobs", d.resolve("jobs.txt").toString()), 0,
                        List.of("governed 2, unmatched 1, matched twice 0", "fw (1): security/fw-eu", "siem (1): security/siem-1", "unmatched (1): security/other"),
                        List.of()),
                new Case("job matched twice", d -> a("policy", "check", d.resolve("overlap").toString(), "--jobs", d.resolve("overlap-jobs.txt").toString()), 1,
                        List.of("ERROR {dir}/overlap-jobs.txt:1: prod/fw-eu: matched by 2 applications: a (", "fw-us", "1 error"),
                        List.of()),
                new Case("bad inventory", d -> a("policy", "check", d.resolve("good").toString(), "--jobs", d.resolve("bad-jobs.txt").toString()), 1,
                        List.of("ERROR {dir}/bad-jobs.txt:2: job: expected namespace/name"), List.of()),
                new Case("explain", d -> a("policy", "explain", "--policy", d.resolve("good/fw.conf").toString(),
                        "--signals", "cpu=0.95@400", "backlog=NaN", "throughput=1000", "workers=4", "max-parallelism=24"), 0,
                        List.of("policy       static", "4 workers, parallelism 4, max parallelism 24",
                                "cpu", "STALE, 400s old", "backlog", "MISSING", "recommendation  STATIC: 4 -> 500 workers",
                                "decision        CAPPED_MAX: 4 -> 8 workers", "CAPPED_PARALLELISM 500 -> 24: ", "CAPPED_MAX 24 -> 8: "),
                        List.of()),
                new Case("explain an idle job with a remembered capacity", d -> a("policy", "explain", "--policy", d.resolve("idle.conf").toString(),
                        "--remembered-capacity", "1000", "--signals", "input-rate=0", "throughput=0", "backlog=0", "backlog-growth=0", "cpu=0", "workers=40"), 0,
                        List.of("remembered   1000 events/s per worker", "recommendation  SCALE_DOWN_UTILIZATION: 40 -> 1 workers",
                                "sized with the capacity remembered from", "decision        CAPPED_STEP_DOWN: 40 -> 20 workers"),
                        List.of()),
                new Case("explain an idle job without one", d -> a("policy", "explain", "--policy", d.resolve("idle.conf").toString(),
                        "--signals", "input-rate=0", "throughput=0", "backlog=0", "backlog-growth=0", "cpu=0", "workers=40"), 0,
                        List.of("remembered   no capacity", "recommendation  HOLD_INSUFFICIENT_SIGNALS: 40 -> 40 workers",
                                "throughput is 0: the capacity per worker cannot be estimated"),
                        List.of()),
                new Case("explain bad remembered capacity", d -> a("policy", "explain", "--policy", d.resolve("idle.conf").toString(),
                        "--remembered-capacity", "-5"), 2, List.of(), List.of("remembered capacity per worker must be finite")),
                new Case("explain unknown signal", d -> a("policy", "explain", "--policy", d.resolve("good/fw.conf").toString(), "--signals", "lag=5"), 2,
                        List.of(), List.of("unknown signal 'lag'")),
                new Case("explain bad number", d -> a("policy", "explain", "--policy", d.resolve("good/fw.conf").toString(), "--signals", "cpu=high"), 2,
                        List.of(), List.of("cpu: not a decimal number: 'high'")),
                new Case("explain bad duration", d -> a("policy", "explain", "--policy", d.resolve("good/fw.conf").toString(), "--since-last-scale", "soon"), 2,
                        List.of(), List.of("not a duration: 'soon'")),
                new Case("explain invalid policy file", d -> a("policy", "explain", "--policy", d.resolve("bad/x.conf").toString(), "--signals", "cpu=0.5"), 1,
                        List.of(), List.of("{dir}/bad/x.conf:3: application.governor.max-worker")),
                new Case("explain without --policy", d -> a("policy", "explain"), 2, List.of(), List.of("Missing required option: '--policy=FILE'")),
                new Case("list", d -> a("policy", "list"), 0,
                        List.of("backlog-drain       Scale up", "static              A fixed worker count", "target-utilization  Size to"), List.of()),
                new Case("keys", d -> a("policy", "keys"), 0,
                        List.of("flinkfleet.governor.min-workers = 1\n    Fewest workers", "flinkfleet.application.policy = backlog-drain"), List.of()),
                new Case("keys with prefix", d -> a("policy", "keys", "flinkfleet.governor.max-step"), 0,
                        List.of("flinkfleet.governor.max-step-up-workers = 0"), List.of()),
                new Case("keys with unknown prefix", d -> a("policy", "keys", "flinkfleet.nope"), 1, List.of(), List.of("no keys start with")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exitCodesAndOutput(Case c) {
        Run r = run(c.args().apply(dir));
        assertEquals(c.code(), r.code(), "exit code; out:\n" + r.out() + "\nerr:\n" + r.err());
        for (String s : c.inOut()) {
            s = s.replace("{dir}", dir.toString());
            assertTrue(r.out().contains(s), "stdout lacks '" + s + "':\n" + r.out());
        }
        for (String s : c.inErr()) {
            s = s.replace("{dir}", dir.toString());
            assertTrue(r.err().contains(s), "stderr lacks '" + s + "':\n" + r.err());
        }
    }

    @Test
    void checkWithoutOverlapPrintsNoWarning() {
        Run r = run("policy", "check", good.toString());
        assertTrue(!r.out().contains("WARN"), r.out());
    }

    @Test
    void explainJsonHasEveryStep() throws IOException {
        Run r = run("policy", "explain", "--policy", good.resolve("fw.conf").toString(), "--json",
                "--signals", "cpu=0.95@400", "backlog=NaN", "workers=4", "--since-last-scale", "90s");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("fw", j.get("application").asText());
        assertEquals(90, j.get("secondsSinceLastScale").asInt());
        assertEquals("STALE", j.at("/signals/cpu/quality").asText());
        assertEquals(400.0, j.at("/signals/cpu/ageSeconds").asDouble());
        assertTrue(j.at("/signals/backlog/value").isNull(), "missing is null in JSON");
        assertEquals("MISSING", j.at("/signals/backlog/quality").asText());
        assertEquals("STATIC", j.at("/recommendation/reason").asText());
        assertEquals(500, j.at("/recommendation/targetWorkers").asInt());
        assertEquals(4, j.at("/decision/currentWorkers").asInt());
        // 90 s after a rescale the 2 m scale-up cooldown holds the job; the JSON shows each rule on the way.
        assertEquals(4, j.at("/decision/targetWorkers").asInt());
        assertEquals("HOLD_COOLDOWN", j.at("/decision/reason").asText());
        assertEquals(false, j.at("/decision/changes").asBoolean());
        assertEquals("CAPPED_MAX", j.at("/decision/adjustments/0/code").asText());
        assertEquals(500, j.at("/decision/adjustments/0/from").asInt());
        assertEquals(8, j.at("/decision/adjustments/0/to").asInt());
        assertEquals("HOLD_COOLDOWN", j.at("/decision/adjustments/1/code").asText());
        assertEquals(4, j.at("/decision/adjustments/1/to").asInt());
    }

    @Test
    void everyLeafKeyOnTheDaemonClassPathIsDocumented() {
        // The CLI sees every module's reference.conf; each key needs the comment that `policy keys` prints.
        List<String> undocumented = Reference.keys(Reference.get(), "flinkfleet").stream()
                .filter(k -> !k.section() && k.doc().isBlank()).map(Reference.Key::path).toList();
        assertEquals(List.of(), undocumented, "keys in a reference.conf without a comment above them");
    }

    @Test
    void benchSimulatorReplaysAndPrintsJobStepsPerCpuSecond() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err),
                "bench", "simulator", "--jobs", "2", "--days", "1", "--step", "60", "--threads", "1", "--policy", "sla-headroom");
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("policy=sla-headroom"), out.toString());
        assertTrue(out.toString().matches("(?s).*job-steps per cpu-second=[0-9.]+e\\+[0-9]+.*"), out.toString());
    }

    @Test
    void subcommandsCanBeRegistered() {
        List<String> names = new ArrayList<>(Main.commandLine().getSubcommands().keySet());
        assertEquals(List.of("policy"), names.subList(0, 1));
        assertEquals(List.of("check", "explain", "list", "keys", "import"),
                new ArrayList<>(Main.commandLine().getSubcommands().get("policy").getSubcommands().keySet()).stream().filter(n -> !n.equals("help")).toList());
    }
}

package dev.flinkfleet.autoscaler.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.autoscaler.cli.Main;
import dev.flinkfleet.autoscaler.prometheus.PrometheusClient;
import dev.flinkfleet.autoscaler.prometheus.PrometheusException;
import dev.flinkfleet.autoscaler.testing.TextExporter;
import dev.flinkfleet.autoscaler.testing.TextExporter.FakeJob;
import dev.flinkfleet.simulator.trace.Trace;
import dev.flinkfleet.simulator.trace.TraceReader;
import dev.flinkfleet.testkit.PrometheusServer;

/**
 * {@code trace record prometheus} against the real Prometheus server. Queries of {@code time()} give known values
 * at any past time without stored data, so chunking and the end-of-step alignment are checked exactly; the shipped
 * input-rate query is checked on two fake Flink jobs the server scrapes. Skipped (not failed) only when the
 * {@code prometheus} binary is absent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceRecordPrometheusTest {

    private static final FakeJob ORDERS = FakeJob.healthy("orders", 2, 40, 300, 1000, 3);
    private static final FakeJob OTHER = FakeJob.healthy("other", 3, 70, 300, 1000, 3);
    /** Two FlinkDeployments named billing in two namespaces, both running a Flink job named billing. */
    private static final FakeJob BILLING_A = FakeJob.healthy("billing", 2, 500, 300, 1000, 3);
    private static final FakeJob BILLING_B = FakeJob.healthy("billing", 1, 20, 300, 1000, 3);

    private TextExporter exporter;
    private TextExporter billingA;
    private TextExporter billingB;
    private PrometheusServer prometheus;
    /** A whole hour in the past: the grid of the time() tests. */
    private Instant hourAgo;

    @TempDir
    Path dir;

    @BeforeAll
    void start() throws IOException {
        Optional<Path> binary = PrometheusServer.findBinary();
        if (binary.isEmpty()) {
            String why = "prometheus binary not found (PATH or $PROMETHEUS_BIN); install it with "
                    + "`apt-get install -y --no-install-recommends prometheus`. Skipping " + getClass().getSimpleName();
            System.err.println(why);
            Assumptions.assumeTrue(false, why);
        }
        exporter = TextExporter.start(List.of(ORDERS, OTHER), Clock.systemUTC());
        billingA = TextExporter.start(List.of(BILLING_A), Clock.systemUTC());
        billingB = TextExporter.start(List.of(BILLING_B), Clock.systemUTC());
        // The billing jobs' series carry the labels a PodMonitor copies from their pods.
        Map<String, Map<String, String>> targets = new LinkedHashMap<>();
        targets.put(exporter.target(), Map.of());
        targets.put(billingA.target(), Map.of("namespace", "team-a", "app", "billing"));
        targets.put(billingB.target(), Map.of("namespace", "team-b", "app", "billing"));
        prometheus = PrometheusServer.startLabelled(binary.get(), targets, Duration.ofMillis(250));
        hourAgo = StepGrid.floor(Instant.now().minusSeconds(7200), 3600);
    }

    @AfterAll
    void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        for (TextExporter e : new TextExporter[] {exporter, billingA, billingB}) {
            if (e != null) {
                e.close();
            }
        }
    }

    record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private String[] record(Path file, String... more) {
        List<String> a = new ArrayList<>(List.of("trace", "record", "prometheus", "--url", prometheus.url().toString(), "-o", file.toString()));
        a.addAll(Arrays.asList(more));
        return a.toArray(String[]::new);
    }

    @Test
    void eachRowIsTheValueAtTheEndOfItsStepAcrossChunks() throws IOException {
        Path file = dir.resolve("clock.csv");
        int rows = 25;
        Run r = run(record(file, "--query", "vector(time() % 1000)", "--from", hourAgo.toString(),
                "--to", hourAgo.plusSeconds(rows * 60L).toString(), "--max-points", "7"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("25 rows") && r.out().contains("4 query_range request(s)"), r.out());
        Trace t = TraceReader.read(file);
        assertEquals(hourAgo, t.start());
        assertEquals(60, t.stepSeconds());
        double[] expected = new double[rows];
        for (int i = 0; i < rows; i++) {
            expected[i] = hourAgo.plusSeconds((i + 1) * 60L).getEpochSecond() % 1000;
        }
        assertArrayEquals(expected, t.rates());
        String text = Files.readString(file);
        assertTrue(text.contains("# query: vector(time() % 1000)\n"), text);
        assertTrue(text.contains("# source: Prometheus at " + prometheus.url() + "\n"), text);
    }

    @Test
    void theServerRefusesMoreThan11000PointsSoLongRangesAreChunked() {
        PrometheusClient client = new PrometheusClient(PrometheusClient.Options.of(prometheus.url(), Duration.ofSeconds(10)), Clock.systemUTC());
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> client.queryRange("vector(1)", hourAgo, hourAgo.plusSeconds(11_001), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("11,000 points"), e.getMessage());
        assertEquals(11_001, client.queryRange("vector(1)", hourAgo, hourAgo.plusSeconds(11_000), Duration.ofSeconds(1)).get(0).samples().size(),
                "the limit is on (end - start) / step");

        Path file = dir.resolve("long.csv");
        Run r = run(record(file, "--query", "vector(time() % 7)", "--to", hourAgo.toString(), "--last", "25000s", "--step", "1s"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("25000 rows") && r.out().contains("3 query_range request(s)"), r.out());
        Trace t = TraceReader.read(file);
        assertEquals(25_000, t.rates().length);
        assertEquals(hourAgo.minusSeconds(25_000), t.start());
        assertEquals((hourAgo.getEpochSecond() - 25_000 + 11_001) % 7, t.rates()[11_000]);
    }

    @Test
    void theShippedInputRateQueryRecordsOneJob() throws Exception {
        Path conf = dir.resolve("daemon.conf");
        Files.writeString(conf, "flinkfleet.prometheus { url = \"" + prometheus.url() + "\", step = 250ms }\n");
        // Wait for five seconds of scrapes after the first, so every step of the range below has data.
        while (exporter.scrapes() == 0) {
            Thread.sleep(50);
        }
        Instant first = Instant.now();
        Instant end = StepGrid.floor(Instant.now(), 1);
        while (end.isBefore(StepGrid.ceil(first, 1).plusSeconds(5))) {
            Thread.sleep(100);
            end = StepGrid.floor(Instant.now(), 1);
        }
        Path file = dir.resolve("orders.csv");
        Run r = run("trace", "record", "prometheus", "--config", conf.toString(), "--job", "orders", "--step", "1s",
                "--to", end.toString(), "--last", "3s", "-o", file.toString());
        assertEquals(0, r.exit(), r.err());
        Trace t = TraceReader.read(file);
        assertEquals(3, t.rates().length);
        for (double v : t.rates()) {
            // Throughput of the source subtasks plus the slope of a constant backlog (0).
            assertEquals(ORDERS.expectedThroughput(), v, 1e-6);
        }
        String text = Files.readString(file);
        assertTrue(text.contains("# job: job_name=orders\n"), text);
        assertTrue(text.contains("job_name=\"orders\""), text);

        // NAMESPACE/NAME selects one FlinkDeployment, not the sum of the two of that name.
        Path billing = dir.resolve("billing.csv");
        Run b = run("trace", "record", "prometheus", "--config", conf.toString(), "--job", "team-b/billing", "--step", "1s",
                "--to", end.toString(), "--last", "3s", "-o", billing.toString());
        assertEquals(0, b.exit(), b.err());
        for (double v : TraceReader.read(billing).rates()) {
            assertEquals(BILLING_B.expectedThroughput(), v, 1e-6);
        }
        assertTrue(Files.readString(billing).contains("# job: namespace=team-b, app=billing\n"), Files.readString(billing));
    }

    record Bad(String name, List<String> args, String says) {
        @Override
        public String toString() {
            return name;
        }
    }

    Stream<Bad> badInput() {
        String from = hourAgo.toString();
        String to = hourAgo.plusSeconds(600).toString();
        long mid = hourAgo.plusSeconds(300).getEpochSecond();
        return Stream.of(
                new Bad("several series", List.of("--query", "label_replace(vector(1), \"pod\", \"a\", \"\", \"\") or label_replace(vector(2), \"pod\", \"b\", \"\", \"\")",
                        "--from", from, "--to", to), "error: query returned 2 series over " + hourAgo.plusSeconds(60) + " .. " + to
                        + ", a trace needs one; they differ in label pod (a, b)"),
                new Bad("no series", List.of("--query", "vector(1) > 2", "--from", from, "--to", to), "error: query returned no series over"),
                new Bad("unknown job", List.of("--job", "nosuch", "--from", from, "--to", to), "error: query returned no series over"),
                new Bad("a gap", List.of("--query", "vector(5) and on() (vector(time()) > " + mid + ")", "--from", from, "--to", to),
                        "error: query has no value at " + hourAgo.plusSeconds(60) + " (row " + hourAgo + "; 5 of 10 steps missing in "
                                + hourAgo.plusSeconds(60) + " .. " + to + ", values resume at " + Instant.ofEpochSecond(mid + 60) + ")"),
                new Bad("NaN", List.of("--query", "vector(0/0)", "--from", from, "--to", to), "error: query value at " + hourAgo.plusSeconds(60) + " is NaN"),
                new Bad("bad PromQL", List.of("--query", "sum(", "--from", from, "--to", to), "error: Prometheus at " + prometheus.url()
                        + " refused the query (HTTP 400): "),
                new Bad("range in the future", List.of("--query", "vector(1)", "--to", "2999-01-01T00:00:00Z"), "error: range ends at 2999-01-01T00:00:00Z, after now"),
                new Bad("too many points asked for", List.of("--query", "vector(1)", "--max-points", "11001"), "error: --max-points must be 1..11000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputIsAOneLineErrorAndExitTwo(Bad c) {
        Path file = dir.resolve("bad.csv");
        List<String> args = new ArrayList<>(List.of(record(file)));
        args.addAll(c.args());
        Run r = run(args.toArray(String[]::new));
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith(c.says()), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(Files.exists(file), "no trace is left behind");
    }

    @Test
    void anUnreachableServerIsNamedWithItsPasswordMasked() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path file = dir.resolve("unreachable.csv");
        Run r = run("trace", "record", "prometheus", "--url", "http://reader:hunter2secret@127.0.0.1:" + closed, "--query", "vector(1)",
                "-o", file.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("error: Prometheus at http://reader:***@127.0.0.1:" + closed + " unreachable: cannot connect"), r.err());
        assertFalse(r.err().contains("hunter2secret"), r.err());
        assertFalse(Files.exists(file));
    }
}

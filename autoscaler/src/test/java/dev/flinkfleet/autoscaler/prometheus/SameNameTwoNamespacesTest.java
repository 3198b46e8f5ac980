package dev.flinkfleet.autoscaler.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.autoscaler.testing.TextExporter;
import dev.flinkfleet.autoscaler.testing.TextExporter.FakeJob;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.signals.MetricObservation;
import dev.flinkfleet.testkit.PrometheusServer;

/**
 * Two FlinkDeployments named {@code orders} in two namespaces, both running a Flink job named {@code orders}, scraped
 * by the real Prometheus with the target labels a PodMonitor gives their pods ({@code namespace}, {@code app}); and
 * a Flink cluster outside Kubernetes whose series carry no such labels. Each job must read its own values.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SameNameTwoNamespacesTest {

    private static final Duration WAIT = Duration.ofSeconds(25);

    private final Clock clock = Clock.systemUTC();
    private final FakeJob ordersA = FakeJob.healthy("orders", 2, 100, 400, 1000, 3);
    private final FakeJob ordersB = FakeJob.healthy("orders", 3, 10, 150, 50, 7);
    private final FakeJob legacy = FakeJob.healthy("legacy", 1, 42, 250, 5, 2);
    private TextExporter a;
    private TextExporter b;
    private TextExporter c;
    private PrometheusServer prometheus;
    private PrometheusClient client;
    private PrometheusSettings settings;

    @BeforeAll
    void start() throws IOException {
        Optional<Path> binary = PrometheusServer.findBinary();
        Assumptions.assumeTrue(binary.isPresent(), "prometheus binary not found (PATH or $PROMETHEUS_BIN)");
        a = TextExporter.start(List.of(ordersA), clock);
        b = TextExporter.start(List.of(ordersB), clock);
        c = TextExporter.start(List.of(legacy), clock);
        Map<String, Map<String, String>> targets = new LinkedHashMap<>();
        targets.put(a.target(), Map.of("namespace", "team-a", "app", "orders"));
        targets.put(b.target(), Map.of("namespace", "team-b", "app", "orders"));
        targets.put(c.target(), Map.of());
        prometheus = PrometheusServer.startLabelled(binary.get(), targets, Duration.ofSeconds(1));
        settings = settings("");
        client = new PrometheusClient(settings.client(), clock);
        // Every target scraped at least once for every signal, before any test compares numbers.
        await(new PromSignalReader(client, settings), s -> settings.queries().bySignal().keySet().stream()
                .allMatch(k -> s.signal(k).keySet().containsAll(Set.of("team-a/orders", "team-b/orders", "legacy"))));
    }

    private PrometheusSettings settings(String extra) {
        return PrometheusSettings.fromConfig(ConfigFactory.parseString("flinkfleet.prometheus { url = \"" + prometheus.url()
                + "\", timeout = 5s, stale-after = 20s, window = 10s, step = 1s\n" + extra + " }").withFallback(ConfigFactory.defaultReference()));
    }

    @AfterAll
    void stop() {
        for (AutoCloseable x : new AutoCloseable[] {prometheus, a, b, c}) {
            try {
                if (x != null) {
                    x.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Test
    void eachJobReadsItsOwnNamespace() {
        PromSignalReader reader = new PromSignalReader(client, settings);
        PromSnapshot snap = await(reader, s -> Set.of(SignalKind.THROUGHPUT, SignalKind.CPU, SignalKind.BACKLOG).stream()
                .allMatch(k -> s.signal(k).keySet().equals(Set.of("team-a/orders", "team-b/orders", "legacy"))));
        assertTrue(snap.problems().isEmpty(), snap.problems().toString());

        MetricObservation inA = snap.observation(new JobRef("team-a", "orders"), "orders");
        MetricObservation inB = snap.observation(new JobRef("team-b", "orders"), "orders");
        assertEquals(ordersA.expectedThroughput(), inA.throughput().value(), 1e-9, "team-a's own, not the sum");
        assertEquals(ordersB.expectedThroughput(), inB.throughput().value(), 1e-9, "team-b's own, not the sum");
        assertEquals(ordersA.expectedCpu(), inA.cpu().value(), 1e-9);
        assertEquals(ordersB.expectedCpu(), inB.cpu().value(), 1e-9);
        assertEquals(ordersB.expectedBacklog(), inB.backlog().value(), 1e-9);

        // A third FlinkDeployment named orders has no series: it must not borrow the others' by job name.
        MetricObservation inC = snap.observation(new JobRef("team-c", "orders"), "orders");
        assertNull(inC.throughput(), "no values under another namespace's job name");
        assertNull(inC.cpu());
        // Series without pod labels are still found by job name.
        assertEquals(legacy.expectedThroughput(), snap.observation(new JobRef("flink-rest", "legacy"), "legacy").throughput().value(), 1e-9);
    }

    @Test
    void keyedByJobNameAloneTheTwoWouldBeSummed() {
        // What the deployment labels prevent: with deployment-label = "" both jobs are one series.
        PromSignalReader byName = new PromSignalReader(client, settings("deployment-label = \"\""));
        PromSnapshot snap = await(byName, s -> s.signal(SignalKind.THROUGHPUT).containsKey("orders"));
        assertEquals(ordersA.expectedThroughput() + ordersB.expectedThroughput(), snap.signal(SignalKind.THROUGHPUT).get("orders").value(), 1e-9);
    }

    @Test
    void oneJobsHistorySelectsItsNamespace() {
        SeriesKeys keys = settings.keys();
        String throughput = PromQueries.renderOne("throughput", ConfigFactory.defaultReference().getString(
                "flinkfleet.prometheus.queries.throughput.value"), new PromQueries.Vars(keys, PromQueries.selectorForJob(keys, "", "team-b/orders"),
                Duration.ofSeconds(10), Duration.ofSeconds(1)));
        assertTrue(throughput.contains("namespace=\"team-b\", app=\"orders\""), throughput);
        await(new PromSignalReader(client, settings), s -> s.signal(SignalKind.THROUGHPUT).containsKey("team-b/orders"));
        List<InstantSeries> r = client.query(throughput, Instant.now(clock));
        assertEquals(1, r.size(), r.toString());
        assertEquals(ordersB.expectedThroughput(), r.get(0).sample().value(), 1e-9);
        assertEquals("team-b", r.get(0).labels().get("namespace"));
    }

    private PromSnapshot await(PromSignalReader reader, Predicate<PromSnapshot> done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        PromSnapshot last = null;
        while (System.nanoTime() < deadline) {
            last = reader.read(clock.instant());
            if (done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out; last snapshot " + (last == null ? null : last.samples()) + "\n" + prometheus.logTail());
    }
}

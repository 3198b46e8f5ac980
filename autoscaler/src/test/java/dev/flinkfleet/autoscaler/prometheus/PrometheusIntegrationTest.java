package dev.flinkfleet.autoscaler.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.testkit.PrometheusServer;
import dev.flinkfleet.autoscaler.testing.TextExporter;
import dev.flinkfleet.autoscaler.testing.TextExporter.FakeJob;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.SignalKind;

/**
 * The default queries against the real Prometheus server scraping 200+ fake Flink jobs every second. Skipped
 * (not failed) only when the {@code prometheus} binary is absent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusIntegrationTest {

    private static final int HEALTHY_JOBS = 200;
    private static final double DELAY_SECONDS = 40;
    private static final Duration WAIT = Duration.ofSeconds(25);

    private final Clock clock = Clock.systemUTC();
    private final List<FakeJob> healthy = new ArrayList<>();
    private FakeJob nanJob;
    private FakeJob noWatermarkJob;
    private FakeJob laggingJob;
    private FakeJob rescaledJob;
    private TextExporter exporter;
    private PrometheusServer prometheus;
    private PrometheusClient client;
    private PromSignalReader reader;
    private PrometheusSettings settings;

    @BeforeAll
    void start() throws IOException {
        Optional<Path> binary = PrometheusServer.findBinary();
        if (binary.isEmpty()) {
            String why = "prometheus binary not found (PATH or $PROMETHEUS_BIN); install it with "
                    + "`apt-get install -y --no-install-recommends prometheus`. Skipping " + getClass().getSimpleName();
            System.err.println(why);
            Assumptions.assumeTrue(false, why);
        }
        for (int i = 0; i < HEALTHY_JOBS; i++) {
            healthy.add(FakeJob.healthy(String.format("job-%03d", i), 2 + i % 3, 10 + i, 100 + 4 * i, 1000L * i, 5 + i % 7));
        }
        nanJob = FakeJob.healthy("nan-job", 2, 50, 300, 10, 3).withBusy(Double.NaN);
        noWatermarkJob = FakeJob.healthy("no-watermark-job", 3, 50, 300, 10, 3).withoutWatermark();
        laggingJob = FakeJob.healthy("lagging-job", 2, 70, 400, 20, 4).delayedBy(DELAY_SECONDS);
        rescaledJob = FakeJob.healthy("rescaled-job", 2, 30, 500, 5, 2);
        List<FakeJob> all = new ArrayList<>(healthy);
        all.addAll(List.of(nanJob, noWatermarkJob, laggingJob, rescaledJob));

        exporter = TextExporter.start(all, clock);
        prometheus = PrometheusServer.start(binary.get(), List.of(exporter.target()), Duration.ofSeconds(1));
        settings = PrometheusSettings.fromConfig(ConfigFactory.parseString(
                        "flinkfleet.prometheus { url = \"" + prometheus.url() + "\", timeout = 5s, stale-after = 20s,"
                                + " window = 10s, step = 1s }")
                .withFallback(ConfigFactory.defaultReference()));
        client = new PrometheusClient(settings.client(), clock);
        reader = new PromSignalReader(client, settings);

        // Wait until every exported source and sink series is in, then until every signal covers every job.
        int expectedSeries = exporter.seriesCount(TextExporter.OUT_RATE);
        awaitTrue("all " + expectedSeries + " throughput series scraped", () -> {
            List<InstantSeries> r = client.query("count(" + TextExporter.OUT_RATE + ")");
            return !r.isEmpty() && r.get(0).sample().value() == expectedSeries;
        });
        awaitSnapshot("every signal covers the healthy jobs", s -> healthy.stream().allMatch(j ->
                settings.queries().bySignal().keySet().stream().allMatch(k -> s.signal(k).containsKey(j.name()))));
    }

    @AfterAll
    void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporter != null) {
            exporter.close();
        }
    }

    @Test
    @Order(1)
    void oneQueryPerSignalCoversTheWholeFleet() {
        long before = client.requestsSent();
        long t0 = System.nanoTime();
        PromSnapshot snap = reader.read(clock.instant());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        long sent = client.requestsSent() - before;

        System.out.printf("read of %d signals for %d jobs: %d requests, %d ms%n",
                settings.queries().bySignal().size(), snap.jobs().size(), sent, millis);
        assertEquals(settings.queries().requestsPerCycle(), sent, "requests per cycle");
        assertEquals(12, sent);
        assertTrue(snap.errors().isEmpty(), snap.errors().toString());
        assertTrue(snap.problems().isEmpty(), snap.problems().toString());
        assertTrue(snap.signal(SignalKind.THROUGHPUT).size() >= HEALTHY_JOBS + 4, "jobs in one vector: " + snap.signal(SignalKind.THROUGHPUT).size());
    }

    @Test
    @Order(2)
    void healthyJobsGetFreshExactValues() {
        PromSnapshot snap = reader.read(clock.instant());
        for (FakeJob j : healthy) {
            String n = j.name();
            assertValue(snap, SignalKind.THROUGHPUT, n, j.expectedThroughput(), 1e-9);
            assertValue(snap, SignalKind.CPU, n, j.expectedCpu(), 1e-9);
            assertValue(snap, SignalKind.BACKLOG, n, j.expectedBacklog(), 1e-9);
            assertValue(snap, SignalKind.BACKLOG_GROWTH, n, 0, 1e-6);
            assertValue(snap, SignalKind.INPUT_RATE, n, j.expectedThroughput(), 1e-6);
            Measurement wm = snap.measurement(SignalKind.WATERMARK_LAG, n);
            assertEquals(Quality.FRESH, wm.quality(), n + " " + wm);
            double base = j.expectedWatermarkLagAtScrape();
            assertTrue(wm.value() >= base - 0.5 && wm.value() <= base + 5, n + ": watermark lag " + wm + ", at scrape " + base);
            for (SignalKind k : settings.queries().bySignal().keySet()) {
                double age = snap.measurement(k, n).ageSeconds();
                assertTrue(age >= 0 && age <= 5, n + " " + k.key() + ": age " + age);
            }
        }
    }

    @Test
    @Order(3)
    void nanMetricIsMissingNotZero() {
        PromSnapshot snap = reader.read(clock.instant());
        assertTrue(snap.signal(SignalKind.CPU).containsKey(nanJob.name()), "the series exists");
        assertTrue(Double.isNaN(snap.signal(SignalKind.CPU).get(nanJob.name()).value()), "and arrives as NaN");
        assertTrue(snap.measurement(SignalKind.CPU, nanJob.name()).isMissing());
        assertValue(snap, SignalKind.THROUGHPUT, nanJob.name(), nanJob.expectedThroughput(), 1e-9);
    }

    @Test
    @Order(4)
    void missingSeriesIsMissing() {
        PromSnapshot snap = reader.read(clock.instant());
        assertTrue(snap.measurement(SignalKind.WATERMARK_LAG, noWatermarkJob.name()).isMissing());
        assertValue(snap, SignalKind.CPU, noWatermarkJob.name(), noWatermarkJob.expectedCpu(), 1e-9);
        for (SignalKind k : SignalKind.values()) {
            assertEquals(Measurement.missing(), snap.measurement(k, "absent-job"), k.key());
        }
    }

    @Test
    @Order(5)
    void oldSamplesAreStaleWithTheirTrueAge() {
        PromSnapshot snap = reader.read(clock.instant());
        for (SignalKind k : List.of(SignalKind.THROUGHPUT, SignalKind.CPU, SignalKind.BACKLOG, SignalKind.WATERMARK_LAG)) {
            Measurement m = snap.measurement(k, laggingJob.name());
            assertEquals(Quality.STALE, m.quality(), k.key() + " " + m);
            assertTrue(m.ageSeconds() >= DELAY_SECONDS && m.ageSeconds() <= DELAY_SECONDS + 6, k.key() + " age " + m.ageSeconds());
        }
        assertEquals(laggingJob.expectedThroughput(), snap.measurement(SignalKind.THROUGHPUT, laggingJob.name()).value(), 1e-9);
    }

    @Test
    @Order(6)
    void rescaleWithNewTaskAttemptsStillGivesOneValuePerJob() {
        FakeJob after = rescaledJob.rescaledTo(4);
        exporter.replace(after);
        PromSnapshot snap = awaitSnapshot("throughput of the rescaled job", s -> {
            Sample x = s.signal(SignalKind.THROUGHPUT).get(after.name());
            return x != null && x.value() == after.expectedThroughput();
        });
        assertTrue(snap.problems().isEmpty(), snap.problems().toString());
        assertValue(snap, SignalKind.BACKLOG, after.name(), after.expectedBacklog(), 1e-9);
        List<InstantSeries> live = client.query("count(" + TextExporter.OUT_RATE + "{job_name=\"" + after.name() + "\"})");
        assertEquals(2.0 * after.parallelism(), live.get(0).sample().value(), "old attempts' series went stale at once");
    }

    private static void assertValue(PromSnapshot snap, SignalKind kind, String job, double expected, double tolerance) {
        Measurement m = snap.measurement(kind, job);
        assertEquals(Quality.FRESH, m.quality(), job + " " + kind.key() + " " + m);
        assertEquals(expected, m.value(), tolerance, job + " " + kind.key());
    }

    private PromSnapshot awaitSnapshot(String what, Predicate<PromSnapshot> done) {
        PromSnapshot[] last = new PromSnapshot[1];
        awaitTrue(what, () -> {
            last[0] = reader.read(clock.instant());
            return done.test(last[0]);
        });
        return last[0];
    }

    private void awaitTrue(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
        throw new AssertionError("timed out after " + WAIT + " waiting for: " + what + "\nprometheus log:\n" + prometheus.logTail());
    }
}

package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.autoscaler.testing.StallingProxy;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.testkit.PrometheusServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/**
 * The Prometheus rows of the fault matrix, with the whole daemon against the mock API server and a real
 * Prometheus scraping a loopback exporter, through a proxy the test controls. Jobs are governed by lag-threshold
 * on Prometheus' pendingRecords: five of them export a backlog that, read as zero, would scale them down from 5
 * to 3 (NaN, +Inf, negative, no series at all, a sample 60 s old), one has a real backlog of 480 and scales up.
 * Then Prometheus hangs past the timeout, answers again, is stopped and comes back on another port. In every
 * phase: no scale-down, no exception escapes the loop, the static job is decided, the reason is visible.
 */
@EnableKubernetesMockClient(crud = true)
class PrometheusFaultsTest {

    static final String NS = "metrics";
    static final List<String> BAD = List.of("pnan", "pinf", "pneg", "pempty", "pstale");

    KubernetesClient client;
    @TempDir
    Path dir;
    HttpServer exporter;
    PrometheusServer prometheus;
    StallingProxy proxy;
    Daemon daemon;
    FaultRecorder rec;
    Path binary;

    @BeforeEach
    void start() throws Exception {
        Optional<Path> bin = PrometheusServer.findBinary();
        Assumptions.assumeTrue(bin.isPresent(), "prometheus binary not found (PATH or $PROMETHEUS_BIN)");
        binary = bin.get();
        FlinkDeploymentFixtures.installCrd(client);
        rec = new FaultRecorder();
        exporter = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        exporter.createContext("/metrics", ex -> {
            byte[] body = exposition().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        exporter.start();
        prometheus = startPrometheus();
        proxy = StallingProxy.forwardingTo("127.0.0.1", prometheus.url().getPort());
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporter != null) {
            exporter.stop(0);
        }
        if (rec != null) {
            rec.close();
        }
    }

    /** Source pendingRecords per job: hot has 480, the bad ones NaN, +Inf, negative, 60 s old, or no series. */
    private static String exposition() {
        String m = "flink_taskmanager_job_task_operator_pendingRecords";
        long old = System.currentTimeMillis() - 60_000;
        StringBuilder sb = new StringBuilder("# TYPE ").append(m).append(" gauge\n");
        for (int s = 0; s < 2; s++) {
            String l = "{operator_name=\"Source__Kafka\",subtask_index=\"" + s + "\",job_name=\"";
            sb.append(m).append(l).append("phot\"} 240\n");
            sb.append(m).append(l).append("pnan\"} NaN\n");
            sb.append(m).append(l).append("pinf\"} +Inf\n");
            sb.append(m).append(l).append("pneg\"} -50\n");
            sb.append(m).append(l).append("pstale\"} 0 ").append(old).append('\n');
        }
        return sb.toString();
    }

    private PrometheusServer startPrometheus() throws Exception {
        PrometheusServer p = PrometheusServer.start(binary, List.of("127.0.0.1:" + exporter.getAddress().getPort()), Duration.ofMillis(500));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        while (true) {
            String q = p.url() + "/api/v1/query?query=count(flink_taskmanager_job_task_operator_pendingRecords)";
            String body = http.send(java.net.http.HttpRequest.newBuilder(URI.create(q)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            if (body.contains("\"10\"")) {
                return p;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("series not scraped: " + body + "\n" + p.logTail());
            }
            Thread.sleep(100);
        }
    }

    @Test
    void badValuesHungStoppedAndRestartedPrometheusNeverScaleDown() throws Exception {
        for (String j : BAD) {
            deployment(j, 5);
        }
        deployment("phot", 3);
        deployment("sfixed", 3);
        daemon = daemon();
        daemon.start();
        DaemonTestSupport.awaitWatched(daemon, 7);
        int port = daemon.httpPort();

        // 1. Prometheus up: bad values hold, the hot job scales up, the static one is decided.
        Map<String, JobOutcome> out = DaemonTestSupport.byName(daemon.runCycleNow());
        assertEquals(5, out.get("phot").decision().targetWorkers(), out.get("phot").decision().summary());
        assertEquals(4, out.get("sfixed").decision().targetWorkers(), out.get("sfixed").decision().summary());
        for (String j : BAD) {
            ReasonCode r = out.get(j).decision().reason();
            assertTrue(r == ReasonCode.HOLD_INSUFFICIENT_SIGNALS || r == ReasonCode.HOLD_STALE_SIGNALS, j + ": " + out.get(j).decision().summary());
        }
        assertEquals(ReasonCode.HOLD_STALE_SIGNALS, out.get("pstale").decision().reason(), out.get("pstale").decision().summary());
        assertEquals(1.0, rec.metric(port, "flinkfleet_backend_up{backend=\"prometheus\"}"));

        // 2. Prometheus accepts and never answers: every Prometheus job holds naming it; the cycle stays bounded.
        proxy.stall();
        deployment("sfixed2", 3);
        DaemonTestSupport.awaitWatched(daemon, 8);
        long t0 = System.nanoTime();
        out = DaemonTestSupport.byName(daemon.runCycleNow());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 4_000, "timeout 1 s x 2 attempts, cycle took " + ms + " ms");
        for (String j : List.of("phot", "pnan", "pinf", "pneg", "pempty", "pstale")) {
            assertEquals(ReasonCode.HOLD_BACKEND_UNAVAILABLE, out.get(j).decision().reason(), out.get(j).decision().summary());
            assertTrue(out.get(j).decision().summary().contains("Prometheus unavailable"), out.get(j).decision().summary());
        }
        assertEquals(4, out.get("sfixed2").decision().targetWorkers(), "a job that needs no signals is still decided");
        assertEquals(0.0, rec.metric(port, "flinkfleet_backend_up{backend=\"prometheus\"}"));
        String detail = rec.get(port, "/jobs/" + NS + "/phot");
        assertTrue(detail.contains("Prometheus unavailable"), detail);
        List<String> down = rec.logLines("Prometheus unavailable");
        assertEquals(1, down.size(), down.toString());
        assertTrue(down.get(0).contains("TIMEOUT"), down.get(0));
        System.out.println("prometheus hung, log: " + down.get(0));
        DaemonTestSupport.byName(daemon.runCycleNow());
        assertEquals(1, rec.logLines("Prometheus unavailable").size(), "once per state change, not per cycle");

        // 3. It answers again: decided as before, one recovery line.
        proxy.forward();
        awaitPrometheusJobsDecided();
        assertEquals(1, rec.logLines("Prometheus recovered").size(), rec.logLines("Prometheus").toString());

        // 4. Stopped: connection refused; held with the reason.
        prometheus.close();
        prometheus = null;
        proxy.dropAll();
        out = DaemonTestSupport.byName(daemon.runCycleNow());
        assertEquals(ReasonCode.HOLD_BACKEND_UNAVAILABLE, out.get("phot").decision().reason(), out.get("phot").decision().summary());
        assertEquals(0.0, rec.metric(port, "flinkfleet_backend_up{backend=\"prometheus\"}"));
        assertEquals(2, rec.logLines("Prometheus unavailable").size(), rec.logLines("Prometheus").toString());
        System.out.println("prometheus stopped, log: " + rec.logLines("Prometheus unavailable").get(1));

        // 5. Restarted on another port (its data starts afresh): decided again.
        prometheus = startPrometheus();
        proxy.retarget("127.0.0.1", prometheus.url().getPort());
        awaitPrometheusJobsDecided();
        assertEquals(1.0, rec.metric(port, "flinkfleet_backend_up{backend=\"prometheus\"}"));

        for (String j : BAD) {
            assertEquals(5, FlinkDeploymentFixtures.replicas(client, NS, j), j);
        }
        assertEquals(0, rec.scaleDowns(), "wrong-direction scalings");
        assertEquals(0, rec.errors(), "exceptions that escaped into outcomes");
    }

    /** Cycles (the breaker probes again after open-for, 1 s here) until the Prometheus jobs are decided again. */
    private void awaitPrometheusJobsDecided() throws InterruptedException {
        ReasonCode r = ReasonCode.HOLD_BACKEND_UNAVAILABLE;
        for (int i = 0; i < 40 && r == ReasonCode.HOLD_BACKEND_UNAVAILABLE; i++) {
            Thread.sleep(200);
            r = DaemonTestSupport.byName(daemon.runCycleNow()).get("pstale").decision().reason();
        }
        assertNotEquals(ReasonCode.HOLD_BACKEND_UNAVAILABLE, r, "decided again once Prometheus answers");
    }

    private Daemon daemon() throws Exception {
        Path policies = dir.resolve("policies");
        Files.createDirectories(policies);
        Files.writeString(policies.resolve("lag.conf"), """
                application {
                  select { namespaces = ["%s"], names = ["p*"] }
                  policy = "lag-threshold"
                  params { lag-per-worker = 100 }
                  governor {
                    min-workers = 3
                    max-workers = 8
                    tolerance = 0
                    scale-up-cooldown = 0s
                    scale-down-cooldown = 0s
                    scale-down-stabilization-window = 0s
                  }
                }
                """.formatted(NS));
        Files.writeString(policies.resolve("static.conf"), """
                application {
                  select { namespaces = ["%s"], names = ["s*"] }
                  policy = "static"
                  params { workers = 4 }
                  governor { min-workers = 1, max-workers = 8, scale-up-cooldown = 0s }
                }
                """.formatted(NS));
        Path file = dir.resolve("daemon.conf");
        Files.writeString(file, """
                flinkfleet.daemon {
                  policies-dir = "%s"
                  interval = 10m
                  http { bind-address = "127.0.0.1", port = 0 }
                  leader-election.enabled = false
                  backend-guard { attempts = 2, first-backoff = 20ms, open-for = 1s }
                }
                flinkfleet.prometheus { url = "http://%s", timeout = 1s, stale-after = 20s, window = 10s, step = 1s }
                flinkfleet.kubernetes.namespaces = ["%s"]
                """.formatted(policies.toString().replace("\\", "\\\\"), proxy.address(), NS));
        Config root = ConfigFactory.parseFile(file.toFile()).withFallback(ConfigFactory.defaultReference()).resolve();
        Daemon d = Daemon.create(root, client, Clock.systemUTC());
        d.addListener(rec);
        return d;
    }

    private void deployment(String name, int replicas) {
        FlinkDeploymentFixtures.deployment(NS, name).replicas(replicas).create(client);
    }
}

package dev.flinkfleet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real Prometheus server (Debian's package) as a child process: temp dir, random free port on 127.0.0.1
 * (its default would be 0.0.0.0:9090), a config scraping the given targets. Stopped with SIGTERM on close.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final Process process;
    private final int port;

    private PrometheusServer(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /** The {@code prometheus} binary: $PROMETHEUS_BIN, else the first on PATH, else empty. */
    public static Optional<Path> findBinary() {
        String env = System.getenv("PROMETHEUS_BIN");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin");
        return Stream.of(path.split(java.io.File.pathSeparator))
                .filter(d -> !d.isBlank())
                .map(d -> Path.of(d, "prometheus"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Starts Prometheus scraping {@code targets} ({@code host:port}) every {@code scrapeInterval}; waits for /-/ready. */
    public static PrometheusServer start(Path binary, List<String> targets, Duration scrapeInterval) throws IOException {
        return start(binary, targets, scrapeInterval, Files.createTempDirectory("prometheus-test-"), "1h");
    }

    /**
     * Starts Prometheus scraping each target ({@code host:port}) with its own target labels, as a PodMonitor puts the
     * pod's namespace and labels (e.g. {@code namespace}, {@code app}) on every series of that pod.
     */
    public static PrometheusServer startLabelled(Path binary, Map<String, Map<String, String>> targets, Duration scrapeInterval)
            throws IOException {
        return start(binary, targets, scrapeInterval, Files.createTempDirectory("prometheus-test-"), "1h");
    }

    /**
     * Starts Prometheus on a history written beforehand: {@code openMetrics} (OpenMetrics text ending in
     * {@code # EOF}, samples with timestamps) is turned into TSDB blocks by {@code promtool tsdb
     * create-blocks-from openmetrics} (promtool next to {@code binary}), as an operator backfills real data.
     * Nothing is scraped. A NaN sample reads as no value, as a staleness marker would after a real scrape.
     */
    public static PrometheusServer backfilled(Path binary, String openMetrics) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("prometheus-test-");
        Path input = dir.resolve("history.om");
        Files.writeString(input, openMetrics);
        Path promtool = binary.resolveSibling("promtool");
        Process p = new ProcessBuilder(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics", "--quiet",
                input.toString(), dir.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("promtool.log").toFile()).start();
        if (p.waitFor() != 0) {
            String log = Files.readString(dir.resolve("promtool.log"));
            deleteRecursively(dir);
            throw new IOException("promtool create-blocks-from openmetrics failed: " + log);
        }
        // A retention longer than any history a test writes, so the blocks are not deleted at startup.
        return start(binary, List.of(), Duration.ofMinutes(1), dir, "3650d");
    }

    private static PrometheusServer start(Path binary, List<String> targets, Duration scrapeInterval, Path dir,
                                          String retention) throws IOException {
        Map<String, Map<String, String>> unlabelled = new LinkedHashMap<>();
        targets.forEach(t -> unlabelled.put(t, Map.of()));
        return start(binary, unlabelled, scrapeInterval, dir, retention);
    }

    private static PrometheusServer start(Path binary, Map<String, Map<String, String>> targets, Duration scrapeInterval, Path dir,
                                          String retention) throws IOException {
        String interval = scrapeInterval.toMillis() + "ms";
        StringBuilder yml = new StringBuilder()
                .append("global:\n")
                .append("  scrape_interval: ").append(interval).append('\n')
                .append("  evaluation_interval: ").append(interval).append('\n')
                .append("scrape_configs:\n")
                .append("  - job_name: flink\n")
                .append("    scrape_timeout: ").append(interval).append('\n')
                .append("    static_configs:\n");
        if (targets.isEmpty()) {
            yml.append("      - targets: []\n");
        }
        // One static config per target, so each has its own labels.
        targets.forEach((target, labels) -> {
            yml.append("      - targets: ['").append(target).append("']\n");
            if (!labels.isEmpty()) {
                yml.append("        labels:\n");
                labels.forEach((k, v) -> yml.append("          ").append(k).append(": '").append(v.replace("'", "''")).append("'\n"));
            }
        });
        Files.writeString(dir.resolve("prometheus.yml"), yml.toString());

        IOException last = null;
        // The free port is found by binding and releasing it; another process may take it in between, so retry.
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Process p = new ProcessBuilder(binary.toString(),
                    "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--storage.tsdb.retention.time=" + retention,
                    "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .start();
            PrometheusServer server = new PrometheusServer(dir, p, port);
            try {
                server.awaitReady();
                return server;
            } catch (IOException e) {
                last = e;
                server.stopProcess();
            }
        }
        deleteRecursively(dir);
        throw last;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The last lines of the server's log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("prometheus.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("prometheus exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) url().resolve("/-/ready").toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(500);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            sleep(100);
        }
        throw new IOException("prometheus not ready within " + READY_TIMEOUT + ":\n" + logTail());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void stopProcess() {
        process.destroy(); // SIGTERM: Prometheus shuts down cleanly
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopProcess();
        deleteRecursively(dir);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a leftover temp dir is not worth failing a test for
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

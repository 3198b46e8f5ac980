package dev.flinkfleet.demo.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

import dev.flinkfleet.autoscaler.daemon.CycleTimings;
import dev.flinkfleet.autoscaler.daemon.Daemon;
import dev.flinkfleet.testkit.PrometheusServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench fleet --jobs N}: the unchanged daemon (informers, readers, loop, actuator, HTTP server) against real
 * backends on loopback, standing in a second JVM ({@link FleetBackends}) so that this JVM's heap, RSS and
 * allocation are the daemon's: a KRaft broker with N consumer groups over a few hundred topics, the real Prometheus
 * scraping Flink-named series for N jobs, fabric8's mock API server holding N FlinkDeployments. Runs warm-up cycles
 * until every job is bound, then the measured ones, moving lag before each; prints each cycle split by stage with
 * its backend calls, the medians, and last the line {@code fleet N jobs: cycle p50 … ms p99 … ms, heap … MiB, rss …
 * MiB, metrics … MB}. Cycles are run on this thread through {@link Daemon#runCycleNow()} (the schedule is set to an
 * hour so it never runs one in between).
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = {"Stands up a Kafka broker, Prometheus and the mock Kubernetes API with N jobs on loopback, runs the real daemon",
                "for several cycles and prints where the time goes. Run this JVM with the daemon's heap (bin/autoscaler uses -Xmx512m)."})
public final class FleetBenchCommand implements Callable<Integer> {

    @Option(names = "--jobs", required = true, description = "FlinkDeployments, consumer groups and exported Flink jobs.")
    int jobs;

    @Option(names = "--cycles", defaultValue = "5", description = "Measured cycles (default: ${DEFAULT-VALUE}); p99 of fewer than 100 is the slowest.")
    int cycles;

    @Option(names = "--topics", description = "Kafka topics the jobs share (default: jobs / 100, between 1 and 300).")
    Integer topics;

    @Option(names = "--scrape-interval", defaultValue = "15s", converter = dev.flinkfleet.autoscaler.cli.Durations.Converter.class,
            description = "Prometheus scrape interval of the exporter (default: ${DEFAULT-VALUE}).")
    Duration scrapeInterval;

    @Option(names = "--pause", defaultValue = "5s", converter = dev.flinkfleet.autoscaler.cli.Durations.Converter.class,
            description = "Wait between cycles after moving the lag, so Prometheus scrapes moved values (default: ${DEFAULT-VALUE}).")
    Duration pause;

    @Option(names = "--backends-heap", defaultValue = "4g", description = "-Xmx of the backends' JVM (default: ${DEFAULT-VALUE}).")
    String backendsHeap;

    @Option(names = "--backends-classpath", hidden = true, description = "Class path of the backends' JVM (default: this JVM's).")
    String backendsClasspath;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        if (jobs < 1 || cycles < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--jobs and --cycles must be >= 1");
        }
        Path prometheusBinary = PrometheusServer.findBinary().orElseThrow(() -> new CommandLine.ParameterException(new CommandLine(this),
                "no `prometheus` binary ($PROMETHEUS_BIN or on PATH); the bench needs the real one (Debian: apt install prometheus)"));
        FleetShape shape = topics == null ? FleetShape.of(jobs) : new FleetShape(jobs, topics, 4);
        out.printf(Locale.ROOT, "bench fleet: %d jobs, %d topics x %d partitions, %d namespaces; daemon JVM -Xmx%d MiB, %d cores%n", jobs,
                shape.topics(), shape.partitions(), FleetShape.NAMESPACES, Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
        long setup0 = System.nanoTime();
        String classpath = backendsClasspath == null ? System.getProperty("java.class.path") : backendsClasspath;
        try (Backends backends = Backends.start(shape, scrapeInterval, prometheusBinary, backendsHeap, classpath)) {
            Map<String, String> ready = backends.ready();
            out.printf(Locale.ROOT, "backends up in %.1f s (Kafka topics+groups %s ms, %d FlinkDeployments %s ms, Prometheus %s ms)%n",
                    (System.nanoTime() - setup0) / 1e9, ready.get("setup-kafka-ms"), jobs, ready.get("setup-kubernetes-ms"),
                    ready.get("setup-prometheus-ms"));
            Path policies = Files.createTempDirectory("flinkfleet-bench-policies-");
            try {
                writePolicy(policies);
                return run(backends, policies, ready);
            } finally {
                try (var s = Files.list(policies)) {
                    s.forEach(p -> p.toFile().delete());
                }
                Files.deleteIfExists(policies);
            }
        }
    }

    private int run(Backends backends, Path policies, Map<String, String> ready) throws Exception {
        URI prometheus = URI.create(ready.get("prometheus"));
        Config config = daemonConfig(policies, ready.get("kafka"), prometheus.toString());
        io.fabric8.kubernetes.client.Config k8s = new ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
                .withMasterUrl(ready.get("kubernetes")).withTrustCerts(true).withNamespace("default")
                .withRequestTimeout(60_000).build();
        HttpClient http = HttpClient.newHttpClient();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(k8s).build();
             Daemon daemon = Daemon.create(config, client, Clock.systemUTC())) {
            long t0 = System.nanoTime();
            daemon.start();
            // Warm-up: until the informer has every job and each is bound (also the JIT and the Kafka metadata cache).
            int warmups = 0;
            while (true) {
                backends.command("counts", "COUNTS");
                CycleStats.Cycle w = measure(daemon, backends, http, prometheus);
                warmups++;
                out.println(CycleStats.row(0, w, jobs).replace("  cycle 0:", "  warm-up " + warmups + ":"));
                if (w.jobs() >= jobs || warmups >= 20) {
                    break;
                }
                Thread.sleep(500);
            }
            out.printf(Locale.ROOT, "daemon started, informers synced and %d warm-up cycle(s) run in %.1f s%n", warmups,
                    (System.nanoTime() - t0) / 1e9);
            List<CycleStats.Cycle> measured = new ArrayList<>();
            for (int c = 1; c <= cycles; c++) {
                backends.command("move", "MOVED");
                Thread.sleep(pause.toMillis());
                backends.command("counts", "COUNTS");
                CycleStats.Cycle cycle = measure(daemon, backends, http, prometheus);
                measured.add(cycle);
                out.println(CycleStats.row(c, cycle, jobs));
            }
            byte[] metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            System.gc();
            double heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
            long[] rss = rssKiB();
            out.println(CycleStats.medians(measured, jobs));
            out.printf(Locale.ROOT, "memory: live heap after full GC %.0f MiB, peak RSS %.0f MiB (now %.0f MiB); GET /metrics %d bytes%n", heap,
                    rss[1] / 1024.0, rss[0] / 1024.0, metrics.length);
            out.println(CycleStats.lastLine(jobs, measured, heap, rss[1] / 1024.0, metrics.length / 1e6));
            return 0;
        }
    }

    /** Runs one cycle and reads what it cost; the Kubernetes request count must have been zeroed just before. */
    private static CycleStats.Cycle measure(Daemon daemon, Backends backends, HttpClient http, URI prometheus) throws Exception {
        long prom0 = promQueries(http, prometheus);
        long kafka0 = kafkaRequests();
        long alloc0 = allocatedBytes();
        long c0 = System.nanoTime();
        daemon.runCycleNow();
        long c1 = System.nanoTime();
        long alloc = allocatedBytes() - alloc0;
        long kafka = kafkaRequests() - kafka0;
        long prom = promQueries(http, prometheus) - prom0;
        Map<String, String> k8s = parse(backends.command("counts", "COUNTS"));
        CycleTimings t = daemon.lastCycleTimings();
        return new CycleStats.Cycle((c1 - c0) / 1e6, ms(t.bindNanos()), ms(t.kafkaNanos()), ms(t.promNanos()), ms(t.signalsNanos()),
                ms(t.decideNanos()), ms(t.patchNanos()), t.jobs(), t.patches(), prom, kafka, Long.parseLong(k8s.get("writes")),
                Long.parseLong(k8s.get("reads")), alloc, k8s.get("write-kinds"));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private void writePolicy(Path dir) throws IOException {
        Files.writeString(dir.resolve(FleetShape.APPLICATION + ".conf"), """
                # Written by bench fleet: every job is bound by annotation; its topic comes from an annotation too.
                application {
                  name = "%s"
                  select { names = ["job-*"] }
                  policy = "backlog-drain"
                  governor {
                    min-workers = 1
                    max-workers = 12
                  }
                  sla-latency = 5m
                }
                """.formatted(FleetShape.APPLICATION));
    }

    private static Config daemonConfig(Path policies, String bootstrap, String prometheusUrl) {
        String text = """
                flinkfleet {
                  daemon {
                    # Cycles are run by the bench, not the schedule.
                    interval = 1h
                    dry-run = false
                    leader-election.enabled = false
                    http { bind-address = "127.0.0.1", port = 0 }
                    kafka-clusters { bench { bootstrap-servers = "" } }
                    default-kafka-cluster = "bench"
                  }
                  kubernetes {
                    namespaces = []
                    label-selector = "flinkfleet.dev/autoscale=true"
                  }
                }
                """;
        return ConfigFactory.parseString(text)
                .withValue("flinkfleet.daemon.policies-dir", ConfigValueFactory.fromAnyRef(policies.toString()))
                .withValue("flinkfleet.daemon.kafka-clusters.bench.bootstrap-servers", ConfigValueFactory.fromAnyRef(bootstrap))
                .withValue("flinkfleet.prometheus.url", ConfigValueFactory.fromAnyRef(prometheusUrl))
                .withFallback(ConfigFactory.defaultReference()).resolve();
    }

    /** Queries Prometheus has answered (its own prometheus_http_requests_total for /api/v1/query and query_range). */
    private static long promQueries(HttpClient http, URI prometheus) throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(prometheus.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        long n = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith("prometheus_http_requests_total{") && (line.contains("handler=\"/api/v1/query\"")
                    || line.contains("handler=\"/api/v1/query_range\""))) {
                n += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return n;
    }

    /** Requests sent by every Kafka Admin client of this JVM (their request-total metric, over JMX). */
    private static long kafkaRequests() throws Exception {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        long n = 0;
        for (ObjectName name : mbs.queryNames(new ObjectName("kafka.admin.client:type=admin-client-metrics,*"), null)) {
            Object v = mbs.getAttribute(name, "request-total");
            if (v instanceof Number num) {
                n += num.longValue();
            }
        }
        return n;
    }

    /** Bytes allocated so far by every live thread of this JVM. */
    private static long allocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long n = 0;
        for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            n += Math.max(0, b);
        }
        return n;
    }

    /** VmRSS and VmHWM (peak) of this process in KiB, from /proc; zeros where there is no /proc. */
    private static long[] rssKiB() {
        long[] r = new long[2];
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    r[0] = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("VmHWM:")) {
                    r[1] = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: reported as 0
        }
        return r;
    }

    private static Map<String, String> parse(String line) {
        Map<String, String> m = new HashMap<>();
        for (String kv : line.trim().split("\\s+")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return m;
    }

    /** The backends' JVM, driven over its stdin/stdout line protocol. */
    static final class Backends implements AutoCloseable {
        private final Process process;
        private final BufferedReader in;
        private final Writer cmd;
        private Map<String, String> ready;

        private Backends(Process process) {
            this.process = process;
            this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.cmd = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        static Backends start(FleetShape shape, Duration scrape, Path prometheus, String heap, String classpath) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx" + heap, "-cp", classpath,
                    "-Dlogback.configurationFile=flinkfleet-demo-logback.xml", FleetBackends.class.getName(),
                    String.valueOf(shape.jobs()), String.valueOf(shape.topics()), String.valueOf(shape.partitions()),
                    String.valueOf(scrape.toMillis()), prometheus.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Backends b = new Backends(p);
            try {
                b.ready = parse(b.await("READY"));
                return b;
            } catch (IOException | RuntimeException e) {
                b.close();
                throw e;
            }
        }

        Map<String, String> ready() {
            return ready;
        }

        /** Sends {@code command} and returns the rest of the reply line starting with {@code reply}. */
        String command(String command, String reply) throws IOException {
            cmd.write(command + "\n");
            cmd.flush();
            return await(reply);
        }

        private String await(String prefix) throws IOException {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith(prefix + " ")) {
                    return line.substring(prefix.length() + 1);
                }
                if (line.startsWith("ERROR ")) {
                    throw new IOException("backends: " + line);
                }
            }
            throw new IOException("the backends' JVM exited (" + (process.isAlive() ? "running" : "code " + process.exitValue())
                    + ") before answering " + prefix + "; its stderr is above");
        }

        @Override
        public void close() {
            try {
                cmd.write("quit\n");
                cmd.flush();
            } catch (IOException e) {
                // already gone
            }
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroy();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
        }
    }
}

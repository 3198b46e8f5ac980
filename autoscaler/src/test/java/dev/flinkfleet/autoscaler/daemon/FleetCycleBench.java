package dev.flinkfleet.autoscaler.daemon;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.slf4j.LoggerFactory;

import dev.flinkfleet.autoscaler.http.JobBoard;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentView;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeployments;
import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.autoscaler.testing.MutableClock;
import dev.flinkfleet.policies.ActuationMode;
import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.ControlLoop;
import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.InMemoryStateStore;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobPlan;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.SignalSource;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.policies.config.Applications;
import dev.flinkfleet.policies.config.PolicyFiles;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * Bench command (not a test): what one control cycle costs the daemon for a fleet of N jobs. Builds N
 * FlinkDeployment views from the test fixtures, binds them with the real {@link JobBinder} against the policy
 * files in {@code config/policies/} (unchanged), then runs the real {@link ControlLoop} with the files' policies
 * and governors, an in-memory state store and the daemon's own listeners (DaemonMetrics, DecisionLog, JobBoard
 * with history 20). Signals come from a seeded fake source instead of Kafka and Prometheus, and the actuator only
 * counts (and feeds the new size back, as the informer would), so the figures are the daemon's CPU and memory,
 * not its I/O. Run from the repository root with the test classpath:
 * {@code java -cp ... dev.flinkfleet.autoscaler.daemon.FleetCycleBench [jobs] [cycles] [warmup] [seed] [policiesDir]}.
 */
public final class FleetCycleBench {

    private static final String FIREWALL = "firewall-logs-to-warehouse";
    private static final String SIEM = "siem-forwarding";
    /** Namespaces outside the applications' selectors; jobs there are bound by annotation. */
    private static final String[] OTHER_NAMESPACES = {"tenant-edge", "tenant-cloud", "tenant-ot"};
    private static final String[] REGIONS = {"eu", "us", "apac", "latam", "me"};
    private static final Duration INTERVAL = Duration.ofSeconds(60);

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int cycles = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 42;
        Path policiesDir = Path.of(args.length > 4 ? args[4] : "config/policies");
        // DecisionLog builds its line for every job either way; WARN keeps 30,000 lines a cycle off the console.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("flinkfleet.decisions")).setLevel(ch.qos.logback.classic.Level.WARN);
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(ch.qos.logback.classic.Level.WARN);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        long heapEmpty = heapAfterGc();
        Applications apps = new Applications(PolicyFiles.loadDir(policiesDir, PolicyRegistry.builtIn()));
        Random rnd = new Random(seed);
        long t0 = System.nanoTime();
        List<FlinkDeploymentView> views = fleet(jobs, rnd);
        double viewsMs = ms(t0);

        JobBinder binder = new JobBinder(apps, ActuationMode.TASKMANAGER_REPLICAS, "main", Set.of("main"));
        MutableClock clock = new MutableClock(Instant.parse("2025-06-02T08:00:00Z"));
        PrometheusRegistry registry = new PrometheusRegistry();
        // -Dbench.metrics.per-job=all exports every job, as flinkfleet.daemon.metrics.per-job = all does.
        boolean allJobs = "all".equals(System.getProperty("bench.metrics.per-job"));
        DaemonMetrics metrics = new DaemonMetrics(registry, allJobs
                ? new MetricsSettings(true, MetricsSettings.DEFAULTS.recentlyRescaled(), MetricsSettings.DEFAULTS.maxJobs()) : MetricsSettings.DEFAULTS);
        JobBoard board = new JobBoard(clock, 20);
        List<CycleListener> listeners = List.of(metrics, new DecisionLog(), board);
        FakeFleet fleet = new FakeFleet(seed);
        ControlLoop loop = new ControlLoop(clock, fleet, fleet, new InMemoryStateStore(), new FanOut(listeners));

        // The first bind of the fleet (cold), then the daemon rebinds every cycle; both are reported.
        t0 = System.nanoTime();
        Bind first = bindAll(binder, views, metrics);
        double firstBindMs = ms(t0);
        if (first.plans().size() != jobs) {
            throw new IllegalStateException("bound " + first.plans().size() + " of " + jobs + " jobs; check names and labels against " + policiesDir);
        }

        for (int i = 0; i < warmup; i++) {
            cycle(binder, views, metrics, loop, fleet, clock);
        }
        fleet.applied = 0;
        long decided = 0;
        double[] bindMs = new double[cycles];
        double[] loopMs = new double[cycles];
        double[] totalMs = new double[cycles];
        long[] allocated = new long[cycles];
        for (int i = 0; i < cycles; i++) {
            long a0 = threads.getCurrentThreadAllocatedBytes();
            long s = System.nanoTime();
            Bind b = bindAll(binder, views, metrics);
            long m = System.nanoTime();
            fleet.wiring = b.wiring();
            List<JobOutcome> out = loop.runCycle(b.plans());
            long e = System.nanoTime();
            allocated[i] = threads.getCurrentThreadAllocatedBytes() - a0;
            bindMs[i] = (m - s) / 1e6;
            loopMs[i] = (e - m) / 1e6;
            totalMs[i] = (e - s) / 1e6;
            decided += out.stream().filter(o -> o.decision() != null).count();
            clock.advance(INTERVAL);
        }

        long heapFull = heapAfterGc();
        CountingStream sink = new CountingStream();
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        EscapingScheme escaping = EscapingScheme.fromAcceptHeader(null);
        for (int i = 0; i < 3; i++) {
            writer.write(new CountingStream(), registry.scrape(), escaping);
        }
        int scrapes = 10;
        double[] scrapeMs = new double[scrapes];
        for (int i = 0; i < scrapes; i++) {
            sink = new CountingStream();
            long s = System.nanoTime();
            MetricSnapshots snap = registry.scrape();
            writer.write(sink, snap, escaping);
            scrapeMs[i] = ms(s);
        }

        System.out.printf("fleet: %,d jobs (%d namespaces), %d warm-up + %d timed cycles, seed %d, %d cores, load average %.2f%n",
                jobs, 1 + OTHER_NAMESPACES.length, warmup, cycles, seed, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("build views: %.0f ms (fixtures -> FlinkDeploymentView.of)%n", viewsMs);
        System.out.printf("bind fleet (cold, first): %.0f ms%n", firstBindMs);
        System.out.printf("bind fleet per cycle: median %.1f ms, p90 %.1f ms%n", median(bindMs), p90(bindMs));
        System.out.printf("ControlLoop.runCycle: median %.1f ms, p90 %.1f ms%n", median(loopMs), p90(loopMs));
        System.out.printf("cycle (bind + runCycle): median %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                median(totalMs), p90(totalMs), percentile(totalMs, 0.99), max(totalMs));
        long[] al = allocated.clone();
        Arrays.sort(al);
        System.out.printf("allocated per cycle: median %.1f MB (%.0f B per job)%n", al[cycles / 2] / 1e6, (double) al[cycles / 2] / jobs);
        System.out.printf("decisions: %,d over %d cycles, %,d rescales applied (%.1f %% of decisions)%n",
                decided, cycles, fleet.applied, 100.0 * fleet.applied / Math.max(1, decided));
        System.out.printf("heap used after System.gc() (rough): %.0f MB with fleet, board (%,d jobs) and metrics; %.0f MB before building the fleet%n",
                heapFull / 1e6, board.size(), heapEmpty / 1e6);
        System.out.printf("/metrics scrape: %.1f MB, %,d lines; scrape + write median %.0f ms, p90 %.0f ms; per-job series for %s%n",
                sink.bytes / 1e6, sink.lines, median(scrapeMs), p90(scrapeMs), allJobs ? "all jobs (per-job = all)"
                        : String.format("%,d jobs (per-job = attention, at most %,d; %s)", (long) value(registry, "flinkfleet_jobs_exported"),
                                MetricsSettings.DEFAULTS.maxJobs(), "flinkfleet_jobs_attention in the scrape counts them all"));
    }

    private static void cycle(JobBinder binder, List<FlinkDeploymentView> views, DaemonMetrics metrics, ControlLoop loop,
                              FakeFleet fleet, MutableClock clock) {
        Bind b = bindAll(binder, views, metrics);
        fleet.wiring = b.wiring();
        loop.runCycle(b.plans());
        clock.advance(INTERVAL);
    }

    private record Bind(List<JobPlan> plans, Map<JobRef, JobWiring> wiring) {
    }

    /** What the daemon's bindAll does per cycle, minus logging of unbound jobs (there are none here). */
    private static Bind bindAll(JobBinder binder, List<FlinkDeploymentView> views, DaemonMetrics metrics) {
        Map<JobRef, JobBinder.Bound> next = new LinkedHashMap<>();
        for (FlinkDeploymentView v : views) {
            if (binder.bind(v) instanceof JobBinder.Bound bd) {
                next.put(bd.job(), bd);
                metrics.jobLimits(bd.job(), bd.application().name(), bd.application().governorConfig().maxWorkers(),
                        bd.application().slaLatency().toMillis() / 1000.0);
            }
        }
        Map<JobRef, JobWiring> wiring = new HashMap<>(next.size() * 2);
        next.forEach((j, bd) -> wiring.put(j, bd.wiring()));
        return new Bind(next.values().stream().map(JobBinder.Bound::plan).toList(), wiring);
    }

    /**
     * N FlinkDeployments: a fifth are firewall-logs-to-warehouse jobs (bigger), the rest siem-forwarding. Two
     * thirds live in security-pipelines and match the applications' selectors; the rest are spread over other
     * namespaces and bound by the application annotation, so both binding paths run.
     */
    private static List<FlinkDeploymentView> fleet(int jobs, Random rnd) {
        List<FlinkDeploymentView> views = new ArrayList<>(jobs);
        for (int i = 0; i < jobs; i++) {
            boolean firewall = i % 5 == 0;
            String region = REGIONS[i % REGIONS.length];
            String name = (firewall ? "firewall-logs-to-warehouse-" : "siem-forward-") + region + "-" + i;
            boolean selected = i % 3 != 2;
            String ns = selected ? "security-pipelines" : OTHER_NAMESPACES[i % OTHER_NAMESPACES.length];
            int replicas = firewall ? 4 + rnd.nextInt(120) : 2 + rnd.nextInt(20);
            var b = FlinkDeploymentFixtures.deployment(ns, name).replicas(replicas).parallelism(replicas * 2)
                    .annotation(JobBinder.ANNOTATION_TOPICS, name + "-events")
                    .annotation(JobBinder.ANNOTATION_CONSUMER_GROUP, name);
            if (firewall) {
                b.label("sink", "bigquery");
            }
            if (!selected) {
                b.annotation(FlinkDeployments.ANNOTATION_APPLICATION, firewall ? FIREWALL : SIEM);
            }
            views.add(FlinkDeploymentView.of(b.build()));
        }
        return views;
    }

    /**
     * Signal source and actuator in one: per job a seeded base load, per cycle noise, occasional bursts, a few
     * stale or missing signals. The actuator counts rescales and feeds the new size back into the signals, as a
     * patched FlinkDeployment would come back through the informer.
     */
    private static final class FakeFleet implements SignalSource, Actuator {
        private final long seed;
        private final Map<JobRef, Integer> size = new HashMap<>();
        private final Map<JobRef, double[]> base = new HashMap<>();
        private Random rnd;
        private int cycle;
        Map<JobRef, JobWiring> wiring = Map.of();
        long applied;

        FakeFleet(long seed) {
            this.seed = seed;
        }

        @Override
        public Map<JobRef, Signals> collect(Collection<JobRef> jobs, Instant now) {
            rnd = new Random(seed * 31 + cycle++);
            Map<JobRef, Signals> out = new HashMap<>(jobs.size() * 2);
            for (JobRef job : jobs) {
                JobWiring w = wiring.get(job);
                int workers = size.computeIfAbsent(job, j -> w.workers());
                // Per worker capacity ~1,000 ev/s; base demand in workers' worth, somewhere near the current size.
                double[] b = base.computeIfAbsent(job, j -> new double[] {w.workers() * (0.5 + rnd.nextDouble())});
                double demand = b[0] * 1000 * (0.8 + 0.4 * rnd.nextDouble());
                double capacity = workers * 1000.0;
                double throughput = Math.min(demand, capacity);
                double backlog = rnd.nextDouble() < 0.05 ? demand * (30 + rnd.nextInt(600)) : demand * rnd.nextDouble() * 2;
                double growth = demand - throughput + (rnd.nextDouble() - 0.5) * 50;
                double cpu = Math.min(1.0, throughput / capacity * (0.9 + 0.1 * rnd.nextDouble()));
                Signals.Builder s = Signals.builder(job, now).workers(workers).parallelism(workers * 2).maxParallelism(360)
                        .fresh(SignalKind.INPUT_RATE, demand)
                        .fresh(SignalKind.THROUGHPUT, throughput)
                        .fresh(SignalKind.BACKLOG, backlog)
                        .fresh(SignalKind.BACKLOG_GROWTH, growth)
                        .fresh(SignalKind.BACKLOG_TIME, backlog / Math.max(1, throughput))
                        .fresh(SignalKind.WATERMARK_LAG, 2 + backlog / Math.max(1, throughput));
                double p = rnd.nextDouble();
                if (p < 0.01) {
                    s.set(SignalKind.CPU, Measurement.missing());
                } else if (p < 0.03) {
                    s.set(SignalKind.CPU, Measurement.of(SignalKind.CPU, cpu, 300, 120));
                } else {
                    s.fresh(SignalKind.CPU, cpu);
                }
                out.put(job, s.build());
            }
            return out;
        }

        @Override
        public Result apply(Decision d) {
            size.put(d.job(), d.targetWorkers());
            applied++;
            return Result.applied("bench: counted, not patched");
        }
    }

    /** The daemon's listener fan-out, without its error logging (nothing here throws). */
    private record FanOut(List<CycleListener> all) implements CycleListener {
        @Override
        public void onJob(JobOutcome o) {
            all.forEach(l -> l.onJob(o));
        }

        @Override
        public void onSourceFailure(Instant now, Exception error) {
            all.forEach(l -> l.onSourceFailure(now, error));
        }

        @Override
        public void onCycle(Instant now, List<JobOutcome> outcomes) {
            all.forEach(l -> l.onCycle(now, outcomes));
        }
    }

    private static final class CountingStream extends OutputStream {
        long bytes;
        long lines;

        @Override
        public void write(int b) {
            bytes++;
            if (b == '\n') {
                lines++;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            bytes += len;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    lines++;
                }
            }
        }
    }

    private static double value(PrometheusRegistry registry, String name) {
        return registry.scrape().stream().filter(m -> m.getMetadata().getPrometheusName().equals(name))
                .flatMap(m -> m.getDataPoints().stream())
                .mapToDouble(p -> ((io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot) p).getValue()).sum();
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static double ms(long since) {
        return (System.nanoTime() - since) / 1e6;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double p90(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) (s.length * 0.9))];
    }

    /** Nearest-rank percentile; with 20 cycles p99 is the slowest cycle. */
    private static double percentile(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(s.length * p) - 1)];
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}

package dev.flinkfleet.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import dev.flinkfleet.testkit.PrometheusServer;

/**
 * {@code bin/autoscaler demo}: the real daemon scaling a real Flink job through a replayed day of real traffic,
 * on this machine alone. Needs only a JDK and Maven, and the real Prometheus on PATH; without it, a Kafka-only
 * stand-in for the job and the lag policy.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the real autoscaler daemon against an embedded Kafka broker, an embedded Kubernetes API",
                "server with a stand-in Flink operator, a real Flink job (MiniCluster) and the real Prometheus, replaying",
                "a bundled day of real web traffic time-compressed. Without Prometheus on PATH, a Kafka-only stand-in",
                "replaces the Flink job. Prints each decision live and a summary at the end."})
public final class DemoCommand implements Callable<Integer> {

    static final String BUNDLED_TRACE = "traces/nasa_http_1995-07-13.csv";
    /** The bundled trace starts at midnight local time (EDT) of the day it covers. */
    static final LocalTime BUNDLED_TRACE_START = LocalTime.MIDNIGHT;

    @Option(names = "--minutes", description = "How long the demo runs, in minutes (default: ${DEFAULT-VALUE}).", defaultValue = "2.5")
    double minutes;

    @Option(names = "--speedup", description = "Trace seconds replayed per demo second (default: ${DEFAULT-VALUE}, i.e. 10 trace minutes a second).",
            defaultValue = "600")
    double speedup;

    @Option(names = "--trace", description = "A trace CSV (timestamp,events_per_second) instead of the bundled NASA launch day.")
    Path trace;

    @Option(names = "--no-prometheus", description = "Do not start Prometheus even when it is on PATH (Kafka-only stand-in job and signals).")
    boolean noPrometheus;

    @Option(names = "--pod-start-delay", description = "How long the stand-in operator's new TaskManager pods take to start after a "
            + "rescale; the job processes nothing meanwhile (default: ${DEFAULT-VALUE}; on Kubernetes 30-90 s is usual).",
            defaultValue = "5s", converter = DurationConverter.class)
    Duration podStartDelay;

    @Option(names = "--compare", description = "Instead of the demo, measure the simulator's fidelity: run the real Flink job "
            + "under the daemon (flink-rest) for about 4 minutes, record its traffic back, calibrate a model from its metrics, "
            + "replay the trace through the simulator with the same policy and print real against simulated. "
            + "Exit 0 within the goal (rescales ±1, max backlog and worker-seconds within 20 %), 1 outside it.")
    boolean compare;

    @Option(names = "--quick", description = "With --compare: the 2.5-minute load instead of the 4-minute one.")
    boolean quick;

    @Option(names = "--out", description = "With --compare: folder for the run's samples, trace and fitted model (default: a temp folder).")
    Path compareOut;

    // Real Flink job: its map spends 1/FLINK_RECORDS_PER_WORKER s of CPU per record (5 ms), so one subtask on a
    // free core handles about 180-200 records/s (measured: see the README's demo section). Scaled to a 600/s peak, the
    // trace's daytime runs at 250-350 records/s: more than one subtask, within what 2 cores give two or three.
    // The Kafka-only stand-in: 100 records/s per worker, 6.5 at the peak.
    static final double FLINK_RECORDS_PER_WORKER = 200;
    static final double FLINK_PEAK_RATE = 600;
    static final double FAKE_RECORDS_PER_WORKER = 100;
    static final double FAKE_PEAK_RATE = 650;
    /** Topic partitions: the stand-in's largest size; the real job's max-workers stays below them. */
    static final int FLINK_PARTITIONS = 8;
    static final int FAKE_PARTITIONS = 12;
    /** More subtasks than twice the cores of a small machine add restarts, not capacity. */
    static final int FLINK_MAX_WORKERS = 4;

    public static void main(String[] args) {
        quietLogging();
        System.exit(new CommandLine(new DemoCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (compare) {
            return dev.flinkfleet.demo.fidelity.FidelityMain.run(quick, compareOut, out, System.err);
        }
        if (!(minutes > 0) || minutes > 60) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--minutes must be in (0, 60], got " + minutes);
        }
        Duration length = Duration.ofMillis(Math.round(minutes * 60_000));
        Optional<Path> prometheus = noPrometheus ? Optional.empty() : PrometheusServer.findBinary();
        // The real Flink job's signals come from Prometheus; without it, the Kafka-only stand-in.
        boolean realFlink = prometheus.isPresent();
        RateSchedule schedule;
        String source = trace == null ? BUNDLED_TRACE : trace.toString();
        try (InputStream in = trace == null ? DemoCommand.class.getClassLoader().getResourceAsStream(BUNDLED_TRACE) : Files.newInputStream(trace)) {
            if (in == null) {
                throw new IllegalStateException(BUNDLED_TRACE + " missing from the demo jar");
            }
            schedule = TraceSchedule.load(source, in, speedup, length, realFlink ? FLINK_PEAK_RATE : FAKE_PEAK_RATE);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        if (podStartDelay.isNegative() || podStartDelay.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--pod-start-delay must be in [0s, 10m], got " + podStartDelay);
        }

        DemoConfig.Policy policy = realFlink ? DemoConfig.Policy.BACKLOG_DRAIN : DemoConfig.Policy.LAG_THRESHOLD;
        if (!realFlink) {
            out.println((noPrometheus ? "Prometheus not used (--no-prometheus)" : "No `prometheus` on PATH")
                    + ": the Kafka-only fallback. A stand-in consumer group replaces the real Flink job, and the lag-threshold"
                    + " policy decides on Kafka lag alone.");
        }
        double perWorker = realFlink ? FLINK_RECORDS_PER_WORKER : FAKE_RECORDS_PER_WORKER;
        DemoConfig.Timing timing = new DemoConfig.Timing(Duration.ofSeconds(2), Duration.ofSeconds(6), Duration.ofSeconds(12),
                Duration.ofSeconds(20), realFlink ? FLINK_MAX_WORKERS : FAKE_PARTITIONS);
        var options = new DemoEnvironment.Options("web-logs-enrichment", "demo-web-logs", "web-logs",
                realFlink ? FLINK_PARTITIONS : FAKE_PARTITIONS, 1,
                perWorker, Duration.ofSeconds(1), podStartDelay, schedule, prometheus, realFlink);

        out.printf(Locale.ROOT, "Replaying %s at %.0fx (%s of trace in %s), peak %.0f records/s; a worker handles %.0f records/s.%n",
                trace == null ? "the NASA KSC web server's traffic on 13 July 1995 (STS-70 launch day)" : source, speedup,
                human(length.multipliedBy(Math.round(speedup))), human(length), realFlink ? FLINK_PEAK_RATE : FAKE_PEAK_RATE, perWorker);
        out.printf(Locale.ROOT, "Policy %s, control loop every %ds, pod-start delay %s; starting Kafka, the Kubernetes API%s ...%n",
                policy.registryName, timing.interval().toSeconds(), human(podStartDelay),
                realFlink ? ", Flink, Prometheus" : "");

        DecisionPrinter printer = new DecisionPrinter(out, t -> traceClock(t));
        long started = System.nanoTime();
        try (DemoRun run = DemoRun.start(options, policy, timing, printer)) {
            out.println("The job: " + run.env().job().describe() + ".");
            out.printf("Running. Daemon admin server on http://127.0.0.1:%d/jobs%s%n", run.daemon().httpPort(),
                    run.env().prometheusUrl().map(u -> ", Prometheus on " + u).orElse(""));
            out.println("  time  trace   decision");
            Thread.sleep(length.toMillis());
            printer.printSummary(Duration.ofNanos(System.nanoTime() - started), run.env().producer().sentRecords(),
                    run.env().job().processedRecords(), run.env().job().processedMeans());
        }
        return 0;
    }

    /** "5s", "90s", "2m", "500ms" or an ISO-8601 duration. */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return com.typesafe.config.ConfigFactory.parseString("d = " + value).getDuration("d");
            } catch (com.typesafe.config.ConfigException e) {
                throw new CommandLine.TypeConversionException("not a duration: '" + value + "' (e.g. 5s, 90s, 2m)");
            }
        }
    }

    private String traceClock(double demoSeconds) {
        if (trace != null) {
            return "";
        }
        long s = Math.round(demoSeconds * speedup) % 86_400;
        return BUNDLED_TRACE_START.plusSeconds(s).toString().substring(0, 5);
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%.1f h", s / 3600.0) : s >= 60 ? String.format(Locale.ROOT, "%.1f min", s / 60.0)
                : s > 0 || d.isZero() ? s + " s" : d.toMillis() + " ms";
    }

    /** Library chatter would drown the decision lines: only warnings from others, and the mock server's JUL off. */
    static void quietLogging() {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "flinkfleet-demo-logback.xml");
        }
    }
}

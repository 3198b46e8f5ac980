package dev.flinkfleet.demo.fidelity;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;

import dev.flinkfleet.autoscaler.prometheus.JobHistoryReader;
import dev.flinkfleet.autoscaler.prometheus.PrometheusClient;
import dev.flinkfleet.autoscaler.prometheus.PrometheusSettings;
import dev.flinkfleet.autoscaler.record.KafkaTopicRates;
import dev.flinkfleet.autoscaler.record.Progress;
import dev.flinkfleet.autoscaler.record.StepGrid;
import dev.flinkfleet.autoscaler.record.TraceFileWriter;
import dev.flinkfleet.simulator.Fleet;
import dev.flinkfleet.simulator.PolicyFilesLoader;
import dev.flinkfleet.simulator.RunResult;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.Simulation;
import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.calibrate.Calibration;
import dev.flinkfleet.simulator.calibrate.Fit;
import dev.flinkfleet.simulator.calibrate.JobHistory;
import dev.flinkfleet.simulator.calibrate.ModelFitter;
import dev.flinkfleet.simulator.model.SeriesRecorder;
import dev.flinkfleet.simulator.trace.Trace;
import dev.flinkfleet.simulator.trace.TraceReader;

/**
 * The simulated side, from what a platform team has after a real run: the topic (recorded back into a trace
 * with {@code trace record kafka}'s {@link KafkaTopicRates}), Prometheus's history of the job (fitted into a
 * job model with {@code calibrate}'s reader and fitter), and the policy file; the model's timing keys are set
 * to the run's (control interval, scrape interval and metrics delay, windows, SLA).
 */
public final class Replay {

    /** Query step of the calibration: one scrape interval. */
    private final FidelitySettings settings;
    private final Path dir;

    public Replay(FidelitySettings settings, Path dir) {
        this.settings = settings;
        this.dir = dir;
    }

    /** The trace, the fitted model and the replay's outcome. */
    /**
     * @param outcome the model under the policy file, deciding for itself (closed loop)
     * @param actions the model under the real daemon's own rescales (open loop)
     */
    public record Result(Path trace, double recordedRecords, Path model, Calibration calibration, Outcome outcome, Outcome actions) {
    }

    /**
     * A calibration for a minutes-long run: busy from 0.5 (the default), and rates trusted 12 s after a restart
     * (one counter window and a scrape) instead of 120 s (two of Flink's meter windows).
     */
    /** Flink recomputes its meters every 5 s. */
    static final double FLINK_METER_UPDATE_SECONDS = 5;

    static final ModelFitter FITTER = new ModelFitter(0.5, 12, 5);

    /**
     * Throughput and busy time for the calibration from Flink's counters, not its meters. The meters
     * (numRecordsOutPerSecond, busyTimeMsPerSecond) average over 60 s and restart with every set of tasks:
     * for a minute after a rescale records-out reads low and busy time (1000 ms − idle) high, so throughput ÷ busy
     * under-reads the capacity (a 150 s run fitted 239 records/s per worker against about 370 measured). rate()
     * over the counters is exact from the second scrape of the new tasks on.
     */
    static Config counterQueries(Config c, Duration scrape) {
        String window = (scrape.toSeconds() * 5) + "s";
        // Records into the operators after the source, not out of the source: the source reads ahead into network
        // buffers in bursts, so over a short window its output is not what the job processed.
        return c.withValue("flinkfleet.prometheus.queries.throughput.value", ConfigValueFactory.fromAnyRef(
                        "max by ({{job_label}}) (sum by ({{job_label}}, operator_name) (rate(flink_taskmanager_job_task_operator_numRecordsIn{operator_name!~\"Source.*\", {{selector}}}[" + window + "])))"))
                .withValue("flinkfleet.prometheus.queries.cpu.value", ConfigValueFactory.fromAnyRef(
                        "max by ({{job_label}}) (rate(flink_taskmanager_job_task_accumulateBusyTimeMs{{{selector}}}[" + window + "])) / 1000"));
    }

    /** Records, calibrates and replays the real run, which {@code measured} describes. */
    public Result run(RealRun real, Outcome measured) throws Exception {
        Instant from = real.start().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        long seconds = (long) Math.ceil(settings.load().durationSeconds());
        Instant to = from.plusSeconds(seconds);
        Path trace = record(real, from, to);
        Calibration fit = calibrate(real.daemonConfig(), from, to.plusSeconds(settings.scrapeInterval().toSeconds()));
        Path model = dir.resolve("fidelity-model.conf");
        Files.writeString(model, modelFile(fit, real.pendingCap()));
        return new Result(trace, TraceReader.read(trace).totalEvents(), model, fit,
                simulate(trace, model, real.policyFile(), from, real.start()),
                replayActions(trace, model, measured.rescales(), from, real.start()));
    }

    /** The topic's produce rate every second of the run. */
    Path record(RealRun real, Instant from, Instant to) {
        Path out = dir.resolve("fidelity-trace.csv");
        try (Admin admin = real.kafka().admin()) {
            KafkaTopicRates rates = new KafkaTopicRates(admin, "Kafka at " + real.kafka().bootstrapServers(), Duration.ofSeconds(10), Set.of());
            List<TopicPartition> partitions = rates.partitionsOf(List.of(RealRun.TOPIC));
            KafkaTopicRates.Holdings h = rates.holdings(partitions);
            StepGrid grid = StepGrid.between(from, to, Duration.ofSeconds(1));
            try (TraceFileWriter w = new TraceFileWriter(out, List.of("source: kafka topic " + RealRun.TOPIC + " (fidelity run)",
                    "range: " + from + " to " + to + ", step 1 s"))) {
                rates.record(partitions, h, grid, w, new Progress(new PrintWriter(new StringWriter()), System::nanoTime, grid.rows()));
                w.commit();
            }
        }
        return out;
    }

    /** The job model fitted from Prometheus's history of the run. */
    Calibration calibrate(Config daemonConfig, Instant from, Instant to) {
        PrometheusClient client = new PrometheusClient(PrometheusSettings.fromConfig(daemonConfig).client(), Clock.systemUTC());
        JobHistory history = JobHistoryReader.of(counterQueries(daemonConfig, settings.scrapeInterval()), client, RealRun.JOB).read(from, to, settings.scrapeInterval(), 1, pct -> { });
        StringBuilder b = new StringBuilder("t,workers,throughput,busy,restarts,checkpoints\n");
        for (JobHistory.Point p : history.points()) {
            b.append(String.format(Locale.ROOT, "%d,%.0f,%.1f,%.3f,%.0f,%.0f%n", p.at().getEpochSecond() - from.getEpochSecond(), p.workers(),
                    p.throughput(), p.busy(), p.restarts(), p.completedCheckpoints()));
        }
        try {
            Files.writeString(dir.resolve("calibration-history.csv"), b);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return FITTER.fit(history);
    }

    /** The fitted values, then the run's settings (which a calibration cannot know or should not guess). */
    String modelFile(Calibration fit, double pendingCap) {
        StringBuilder b = new StringBuilder(fit.modelFile(List.of("Job model fitted from the fidelity run's Prometheus history.")));
        if (pendingCap > 0) {
            b.append(String.format(Locale.ROOT, "%n# fitted from the run: median of the source's pendingRecords while records waited (at least 1)%n"
                    + "pending-records-cap = %.0f%n", pendingCap));
        }
        b.append("\n# The run's settings.\n");
        // The run's scrape interval: calibrate derives it from samples per 10 minutes, which a series younger
        // than 10 minutes under-counts (this run's 2 s read as about 8 s); the later key wins in HOCON.
        b.append("scrape-interval-seconds = ").append(settings.scrapeInterval().toSeconds()).append('\n');
        // Flink's meters are recomputed every 5 s (View.UPDATE_INTERVAL_SECONDS), so a scraped rate is on average
        // 2.5 s older than its scrape.
        b.append(String.format(Locale.ROOT, "metrics-delay-seconds = %.1f%n", settings.scrapeInterval().toSeconds() + FLINK_METER_UPDATE_SECONDS / 2));
        b.append(String.format(Locale.ROOT, """
                control-interval-seconds = %d
                signal-window-seconds = %d
                growth-window-seconds = %d
                metrics-stale-after-seconds = 30
                kafka-stale-after-seconds = 30
                sla-latency-seconds = %d
                base-latency-seconds = 0.5
                initial-workers = 1
                max-parallelism = %d
                sub-step-seconds = 1
                meters-restart-with-tasks = true
                """, settings.controlInterval().toSeconds(), FidelitySettings.FLINK_METER_SECONDS,
                settings.growthWindow().toSeconds(), settings.slaSeconds(), FidelitySettings.MAX_WORKERS));
        return b.toString();
    }

    /** Replays the recorded trace through the model under the policy file; times relative to the real start. */
    static Outcome simulate(Path tracePath, Path modelPath, Path policy, Instant traceStart, Instant realStart) {
        Strategy strategy = PolicyFilesLoader.builtIn().load(policy.toString(), Map.of(), null);
        return replay(tracePath, modelPath, strategy, traceStart, realStart);
    }

    /**
     * Replays the recorded trace through the model, rescaled at the seconds the real daemon decided, to the sizes
     * it chose: the model's own error (capacity, restart, replayed input), without the decisions, whose timing
     * flips on meter noise from run to run. The model is ticked every second so an action lands within a second of
     * the real one.
     */
    static Outcome replayActions(Path tracePath, Path modelPath, List<Outcome.Rescale> actions, Instant traceStart, Instant realStart) {
        Path everySecond = modelPath.resolveSibling("fidelity-model-actions.conf");
        try {
            Files.writeString(everySecond, Files.readString(modelPath)
                    + "\n# Replaying the real run's actions: a tick every second, so each lands within a second of its time.\ncontrol-interval-seconds = 1\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        double offset = (traceStart.toEpochMilli() - realStart.toEpochMilli()) / 1000.0;
        int initial = actions.isEmpty() ? 1 : actions.get(0).from();
        Strategy scripted = new Strategy() {
            @Override
            public String name() {
                return "real-actions";
            }

            @Override
            public int initialWorkers(SimContext.Setup setup) {
                return initial;
            }

            @Override
            public dev.flinkfleet.simulator.Controller start(SimContext ctx) {
                return (c, step) -> c.fluid().rescale(workersAt(actions, offset + step * c.setup().dtSeconds(), initial));
            }
        };
        return replay(tracePath, everySecond, scripted, traceStart, realStart);
    }

    /** The size the actions had set by {@code seconds} after the real start. */
    static int workersAt(List<Outcome.Rescale> actions, double seconds, int initial) {
        int workers = initial;
        for (Outcome.Rescale a : actions) {
            if (a.atSeconds() > seconds) {
                break;
            }
            workers = a.to();
        }
        return workers;
    }

    private static Outcome replay(Path tracePath, Path modelPath, Strategy strategy, Instant traceStart, Instant realStart) {
        Trace trace = TraceReader.read(tracePath);
        SimContext.Setup setup = Fleet.setups(List.of(trace), Fleet.jobModel(modelPath)).get(0);
        RunResult r = Simulation.run(setup, strategy, (int) setup.steps());
        SeriesRecorder s = r.series();
        double offset = (traceStart.toEpochMilli() - realStart.toEpochMilli()) / 1000.0;
        List<Outcome.Rescale> rescales = new ArrayList<>();
        int workers = (int) s.max(0, SeriesRecorder.Metric.WORKERS);
        for (int b = 1; b < s.buckets(); b++) {
            int w = (int) s.max(b, SeriesRecorder.Metric.WORKERS);
            if (w != workers) {
                // The model applies a rescale at a control tick, between two steps: the bucket's start is its time.
                rescales.add(new Outcome.Rescale(offset + (s.bucketStart(b) - setup.epochAt(0)), workers, w));
                workers = w;
            }
        }
        var sum = r.summary();
        return new Outcome(rescales, sum.maxBacklogRecords(), sum.slaViolationMinutes() * 60,
                sum.vcpuHours() * 3600 / setup.model().vcpuPerWorker(), sum.latencyMaxS());
    }

    static Optional<Double> value(Calibration c, String key) {
        return c.get(key).filter(f -> !f.refused()).map(Fit::value);
    }
}

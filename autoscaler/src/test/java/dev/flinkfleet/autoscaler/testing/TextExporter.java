package dev.flinkfleet.autoscaler.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * Serves {@code /metrics} in the Prometheus text format for many fake Flink jobs, with the metric names and
 * labels of Flink's Prometheus reporter (label values filtered to [A-Za-z0-9_:] as the reporter does). Each job
 * has a source vertex and a sink vertex with {@code parallelism} subtasks each. The expected signal values are
 * computed from the same model ({@link FakeJob#expectedThroughput()} ...) so tests do not hard-code results.
 */
public final class TextExporter implements AutoCloseable {

    /**
     * One fake job.
     *
     * @param name                 the job_name label
     * @param parallelism          subtasks per vertex
     * @param recordsPerSecond     source subtask s emits recordsPerSecond + s records/s
     * @param busyMsPerSecond      sink subtask s is busy busyMsPerSecond - s ms/s (the job's busiest); sources half
     *                             of that; NaN makes every subtask NaN
     * @param pendingRecords       source subtask s has pendingRecords + s records pending
     * @param watermarkLagSeconds  sink subtask s's input watermark trails the scrape time by this + s seconds
     * @param withWatermark        false leaves out the watermark series altogether
     * @param sampleDelaySeconds   &gt; 0 exposes every sample with an explicit timestamp this far in the past
     * @param attempt              part of task_attempt_id/tm_id; changing it imitates a rescale (new series)
     */
    public record FakeJob(String name, int parallelism, double recordsPerSecond, double busyMsPerSecond,
                          long pendingRecords, double watermarkLagSeconds, boolean withWatermark,
                          double sampleDelaySeconds, int attempt) {

        public static FakeJob healthy(String name, int parallelism, double recordsPerSecond, double busyMsPerSecond,
                                      long pendingRecords, double watermarkLagSeconds) {
            return new FakeJob(name, parallelism, recordsPerSecond, busyMsPerSecond, pendingRecords, watermarkLagSeconds, true, 0, 0);
        }

        public FakeJob withBusy(double busy) {
            return new FakeJob(name, parallelism, recordsPerSecond, busy, pendingRecords, watermarkLagSeconds, withWatermark, sampleDelaySeconds, attempt);
        }

        public FakeJob withoutWatermark() {
            return new FakeJob(name, parallelism, recordsPerSecond, busyMsPerSecond, pendingRecords, watermarkLagSeconds, false, sampleDelaySeconds, attempt);
        }

        public FakeJob delayedBy(double seconds) {
            return new FakeJob(name, parallelism, recordsPerSecond, busyMsPerSecond, pendingRecords, watermarkLagSeconds, withWatermark, seconds, attempt);
        }

        /** The same job after a rescale: new parallelism, new task attempts and TaskManagers. */
        public FakeJob rescaledTo(int newParallelism) {
            return new FakeJob(name, newParallelism, recordsPerSecond, busyMsPerSecond, pendingRecords, watermarkLagSeconds, withWatermark, sampleDelaySeconds, attempt + 1);
        }

        /** Sum over source subtasks of recordsPerSecond + s. */
        public double expectedThroughput() {
            return parallelism * recordsPerSecond + triangle();
        }

        /** Busiest subtask (sink subtask 0) as a fraction. */
        public double expectedCpu() {
            return busyMsPerSecond / 1000;
        }

        public double expectedBacklog() {
            return parallelism * (double) pendingRecords + triangle();
        }

        /** Slowest sink subtask's lag at scrape time; the query adds the time since the scrape. */
        public double expectedWatermarkLagAtScrape() {
            return watermarkLagSeconds + parallelism - 1;
        }

        private double triangle() {
            return parallelism * (parallelism - 1) / 2.0;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "text-exporter");
        t.setDaemon(true);
        return t;
    });
    private final Clock clock;
    private volatile Map<String, FakeJob> jobs;
    private volatile int scrapes;

    private TextExporter(List<FakeJob> jobs, Clock clock) throws IOException {
        this.clock = clock;
        setJobs(jobs);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> {
            byte[] body = render().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            scrapes++;
        });
        server.start();
    }

    /** Starts serving on a random port of 127.0.0.1. */
    public static TextExporter start(List<FakeJob> jobs, Clock clock) throws IOException {
        return new TextExporter(jobs, clock);
    }

    /** Replaces the served jobs (the next scrape sees the change). */
    public void setJobs(List<FakeJob> newJobs) {
        Map<String, FakeJob> m = new LinkedHashMap<>();
        newJobs.forEach(j -> m.put(j.name(), j));
        this.jobs = m;
    }

    public void replace(FakeJob job) {
        Map<String, FakeJob> m = new LinkedHashMap<>(jobs);
        m.put(job.name(), Objects.requireNonNull(job));
        this.jobs = m;
    }

    /** {@code host:port} for a scrape config. */
    public String target() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public int scrapes() {
        return scrapes;
    }

    /** Series per metric family currently served. */
    public int seriesCount(String family) {
        return (int) render().lines().filter(l -> l.startsWith(family + "{")).count();
    }

    /** The exposition text for the current jobs at the clock's time. */
    public String render() {
        long nowMs = clock.millis();
        Map<String, List<String>> families = new LinkedHashMap<>();
        for (String f : List.of(OUT_RATE, PENDING, BUSY, WATERMARK)) {
            families.put(f, new ArrayList<>());
        }
        for (FakeJob j : jobs.values()) {
            String ts = j.sampleDelaySeconds() > 0 ? " " + (nowMs - Math.round(j.sampleDelaySeconds() * 1000)) : "";
            for (int s = 0; s < j.parallelism(); s++) {
                String src = labels(j, s, SOURCE_TASK, SOURCE_OPERATOR);
                String sink = labels(j, s, SINK_TASK, SINK_OPERATOR);
                families.get(OUT_RATE).add(OUT_RATE + src + " " + fmt(j.recordsPerSecond() + s) + ts);
                // A sink's own output counter must not count as throughput: the default query filters sources.
                families.get(OUT_RATE).add(OUT_RATE + sink + " " + fmt(1_000_000) + ts);
                families.get(PENDING).add(PENDING + src + " " + fmt(j.pendingRecords() + s) + ts);
                families.get(BUSY).add(BUSY + taskLabels(j, s, SOURCE_TASK) + " " + fmt((j.busyMsPerSecond() - s) / 2) + ts);
                families.get(BUSY).add(BUSY + taskLabels(j, s, SINK_TASK) + " " + fmt(j.busyMsPerSecond() - s) + ts);
                if (j.withWatermark()) {
                    // Sources trail further; the default query must look at sinks only.
                    double srcWm = nowMs - (j.watermarkLagSeconds() + 100 + s) * 1000;
                    families.get(WATERMARK).add(WATERMARK + src + " " + fmt(srcWm) + ts);
                    // Subtask 1 of every sink has no watermark yet, as Flink reports it: Long.MIN_VALUE.
                    double sinkWm = s == 1 && j.parallelism() > 2 ? Long.MIN_VALUE : nowMs - (j.watermarkLagSeconds() + s) * 1000;
                    families.get(WATERMARK).add(WATERMARK + sink + " " + fmt(sinkWm) + ts);
                }
            }
        }
        StringBuilder sb = new StringBuilder(64 * 1024);
        families.forEach((name, lines) -> {
            sb.append("# HELP ").append(name).append(' ').append(name).append(" (fake Flink)\n");
            sb.append("# TYPE ").append(name).append(" gauge\n");
            lines.forEach(l -> sb.append(l).append('\n'));
        });
        return sb.toString();
    }

    public static final String OUT_RATE = "flink_taskmanager_job_task_operator_numRecordsOutPerSecond";
    public static final String PENDING = "flink_taskmanager_job_task_operator_pendingRecords";
    public static final String BUSY = "flink_taskmanager_job_task_busyTimeMsPerSecond";
    public static final String WATERMARK = "flink_taskmanager_job_task_operator_currentInputWatermark";
    private static final String SOURCE_TASK = "Source__Kafka____Map";
    private static final String SOURCE_OPERATOR = "Source__Kafka";
    private static final String SINK_TASK = "Sink__Writer";
    private static final String SINK_OPERATOR = "Sink__Writer";

    private static String taskLabels(FakeJob j, int subtask, String task) {
        return "{" + taskLabelList(j, subtask, task) + "}";
    }

    private static String labels(FakeJob j, int subtask, String task, String operator) {
        return "{" + taskLabelList(j, subtask, task)
                + ",operator_id=\"" + hex(j.name() + task + operator) + "\",operator_name=\"" + escape(operator) + "\"}";
    }

    private static String taskLabelList(FakeJob j, int subtask, String task) {
        String attempt = j.name() + "/" + task + "/" + subtask + "/" + j.attempt();
        return "host=\"10_0_0_" + (subtask % 250) + "\""
                + ",tm_id=\"" + escape(j.name()) + "_taskmanager_" + j.attempt() + "_" + subtask + "\""
                + ",job_id=\"" + hex(j.name()) + "\""
                + ",job_name=\"" + escape(j.name()) + "\""
                + ",task_id=\"" + hex(j.name() + task) + "\""
                + ",task_name=\"" + escape(task) + "\""
                + ",task_attempt_id=\"" + hex(attempt) + "\""
                + ",task_attempt_num=\"" + j.attempt() + "\""
                + ",subtask_index=\"" + subtask + "\"";
    }

    private static String hex(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** A float as the text format spells it. */
    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(v);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

package dev.flinkfleet.demo.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Serves what Flink's Prometheus reporter would for N single-subtask jobs: the four series the daemon's default
 * queries read (source throughput, busy time, sink input watermark, pending records), each labelled
 * {@code namespace}, {@code app} (the FlinkDeployment name, as the operator labels TaskManager pods) and
 * {@code job_name} (as Flink's reporter does), so both job keyings find them. Values move with time: an
 * overloaded job's backlog grows, the others' wobble. Label text is built once; a scrape only formats numbers.
 */
final class FlinkSeriesExporter implements AutoCloseable {

    private static final byte[] HELP = ("""
            # TYPE flink_taskmanager_job_task_operator_numRecordsOutPerSecond gauge
            # TYPE flink_taskmanager_job_task_busyTimeMsPerSecond gauge
            # TYPE flink_taskmanager_job_task_operator_currentInputWatermark gauge
            # TYPE flink_taskmanager_job_task_operator_pendingRecords gauge
            """).getBytes(StandardCharsets.US_ASCII);

    private final FleetShape shape;
    private final HttpServer server;
    private final byte[][] out;
    private final byte[][] busy;
    private final byte[][] watermark;
    private final byte[][] pending;
    private final long startMillis = System.currentTimeMillis();

    FlinkSeriesExporter(FleetShape shape) throws IOException {
        this.shape = shape;
        int n = shape.jobs();
        out = new byte[n][];
        busy = new byte[n][];
        watermark = new byte[n][];
        pending = new byte[n][];
        for (int i = 0; i < n; i++) {
            String labels = "namespace=\"" + shape.namespace(i) + "\",app=\"" + shape.name(i) + "\",job_name=\"" + shape.flinkJobName(i)
                    + "\",subtask_index=\"0\"";
            out[i] = ("flink_taskmanager_job_task_operator_numRecordsOutPerSecond{operator_name=\"Source__Kafka\"," + labels + "} ")
                    .getBytes(StandardCharsets.US_ASCII);
            busy[i] = ("flink_taskmanager_job_task_busyTimeMsPerSecond{task_name=\"Source__Kafka____Map\"," + labels + "} ")
                    .getBytes(StandardCharsets.US_ASCII);
            watermark[i] = ("flink_taskmanager_job_task_operator_currentInputWatermark{operator_name=\"Sink__Writer\"," + labels + "} ")
                    .getBytes(StandardCharsets.US_ASCII);
            pending[i] = ("flink_taskmanager_job_task_operator_pendingRecords{operator_name=\"Source__Kafka\"," + labels + "} ")
                    .getBytes(StandardCharsets.US_ASCII);
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/metrics", this::scrape);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "flink-exporter");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** host:port for a scrape config. */
    String target() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void scrape(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        ex.sendResponseHeaders(200, 0);
        long now = System.currentTimeMillis();
        double t = (now - startMillis) / 1000.0;
        try (OutputStream os = new BufferedOutputStream(ex.getResponseBody(), 1 << 16)) {
            os.write(HELP);
            for (int i = 0; i < shape.jobs(); i++) {
                boolean hot = shape.overloaded(i);
                int workers = shape.initialWorkers(i);
                line(os, out[i], 100L * workers);
                line(os, busy[i], hot ? 980 : 300 + (i * 37L) % 400);
                line(os, watermark[i], now - (hot ? 600_000 : 2_000));
                line(os, pending[i], hot ? 100_000 + Math.round(200 * t) : (i % 50) * 2L + Math.round(t) % 10);
            }
        }
    }

    private static void line(OutputStream os, byte[] prefix, long value) throws IOException {
        os.write(prefix);
        os.write(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
        os.write('\n');
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

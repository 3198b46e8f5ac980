package dev.flinkfleet.autoscaler.record;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.flinkfleet.autoscaler.cli.Main;
import dev.flinkfleet.simulator.trace.Trace;
import dev.flinkfleet.simulator.trace.TraceReader;
import dev.flinkfleet.testkit.EmbeddedKafka;
import dev.flinkfleet.testkit.PrometheusServer;

/**
 * Bench command (not a test): wall time of {@code trace record kafka} over D days at S-second steps of a
 * P-partition topic on the embedded broker (1..5 records per partition and step, CreateTimes spread over the
 * days), and of {@code trace record prometheus} over the same range when {@code prometheus} is installed.
 * Run with the test classpath:
 * {@code java -cp ... dev.flinkfleet.autoscaler.record.TraceRecordBench [partitions] [days] [stepSeconds] [runs]}.
 */
public final class TraceRecordBench {

    public static void main(String[] args) throws Exception {
        int partitions = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        long step = args.length > 2 ? Long.parseLong(args[2]) : 60;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Path dir = Files.createTempDirectory("trace-record-bench");
        Instant end = StepGrid.floor(Instant.now().minusSeconds(3600), step);
        Instant start = end.minus(Duration.ofDays(days));
        int steps = (int) ((end.getEpochSecond() - start.getEpochSecond()) / step);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.admin().createTopics(List.of(new NewTopic("bench", partitions, (short) 1).configs(Map.of("retention.ms", "-1")))).all().get();
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
            p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            // One batch in flight per partition: right after a topic is created its first batch may be refused
            // (NOT_LEADER_OR_FOLLOWER) while the next is taken; the idempotent producer's retry of the first then
            // fails for good with OUT_OF_ORDER_SEQUENCE_NUMBER (seen here under load). Order is what the timestamps need.
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
            p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
            long records = 0;
            long t0 = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                List<Future<?>> sent = new ArrayList<>();
                for (int k = 0; k < steps; k++) {
                    for (int part = 0; part < partitions; part++) {
                        int n = 1 + (k + part) % 5;
                        for (int i = 0; i < n; i++) {
                            long ts = start.plusSeconds(k * step).toEpochMilli() + i * (step * 1000 / n);
                            sent.add(producer.send(new ProducerRecord<>("bench", part, ts, null, new byte[8])));
                            records++;
                        }
                    }
                    if (sent.size() > 20_000) {
                        for (Future<?> f : sent) {
                            f.get();
                        }
                        sent.clear();
                    }
                }
                producer.flush();
                for (Future<?> f : sent) {
                    f.get();
                }
            }
            System.out.printf("produced %d records over %d days, %d partitions, in %.1f s%n", records, days, partitions, (System.nanoTime() - t0) / 1e9);
            Path out = dir.resolve("bench.csv");
            double[] secs = new double[runs];
            for (int r = 0; r < runs; r++) {
                long s = System.nanoTime();
                int exit = run("trace", "record", "kafka", "--bootstrap", kafka.bootstrapServers(), "--topic", "bench",
                        "--from", start.toString(), "--to", end.toString(), "--step", step + "s", "-o", out.toString());
                secs[r] = (System.nanoTime() - s) / 1e9;
                Trace t = TraceReader.read(out);
                if (exit != 0 || t.rates().length != steps || Math.round(t.totalEvents()) != records) {
                    throw new IllegalStateException("bad recording: exit " + exit + ", " + t.rates().length + " rows, " + t.totalEvents() + " events");
                }
            }
            Arrays.sort(secs);
            System.out.printf("trace record kafka: %d steps x %d partitions: median %.2f s of %s (%.0f steps/s)%n",
                    steps, partitions, secs[runs / 2], Arrays.toString(secs), steps / secs[runs / 2]);
        }
        var binary = PrometheusServer.findBinary();
        if (binary.isPresent()) {
            try (PrometheusServer prom = PrometheusServer.start(binary.get(), List.of(), Duration.ofSeconds(15))) {
                Path out = dir.resolve("prom.csv");
                double[] secs = new double[runs];
                for (int r = 0; r < runs; r++) {
                    long s = System.nanoTime();
                    int exit = run("trace", "record", "prometheus", "--url", prom.url().toString(), "--query", "vector(time() % 1000)",
                            "--from", start.toString(), "--to", end.toString(), "--step", step + "s", "-o", out.toString());
                    secs[r] = (System.nanoTime() - s) / 1e9;
                    if (exit != 0 || TraceReader.read(out).rates().length != steps) {
                        throw new IllegalStateException("bad recording");
                    }
                }
                Arrays.sort(secs);
                System.out.printf("trace record prometheus: %d steps: median %.2f s of %s%n", steps, secs[runs / 2], Arrays.toString(secs));
            }
        }
    }

    private static int run(String... args) {
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
        if (exit != 0) {
            System.err.println(err);
        }
        return exit;
    }
}

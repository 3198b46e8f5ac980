package dev.flinkfleet.autoscaler.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.autoscaler.cli.Main;
import dev.flinkfleet.simulator.trace.Trace;
import dev.flinkfleet.simulator.trace.TraceReader;
import dev.flinkfleet.testkit.EmbeddedKafka;

/**
 * {@code trace record kafka} against the real embedded broker: records written with chosen CreateTimes are
 * recorded back as exact per-step rates, the file is read back by the simulator's trace reader, and bad input
 * (unknown topic or group, no timestamps, a range beyond retention, no broker) is a one-line error, exit 2.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceRecordKafkaTest {

    private static final int STEPS = 20;
    private static final int PARTITIONS = 4;
    private static final long STEP = 60;

    private EmbeddedKafka kafka;
    private KafkaProducer<byte[], byte[]> producer;
    /** Start of the produced traffic: a whole minute three hours ago. */
    private Instant t0;
    /** Start of the traffic of topic "trimmed" whose oldest records are deleted, and the first one kept. */
    private Instant firstKept;

    @TempDir
    Path dir;

    /** Records of step {@code k} on partition {@code p}: some steps and partitions are empty. */
    private static int count(int k, int p) {
        return (k * 7 + p * 3) % 11;
    }

    /** Rate of step {@code k} over all partitions, as the recorder must find it. */
    private static double expectedRate(int k) {
        int sum = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            sum += count(k, p);
        }
        return sum / (double) STEP;
    }

    @BeforeAll
    void start() throws Exception {
        kafka = EmbeddedKafka.start();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // One batch in flight per partition: right after a topic is created its first batch may be refused
        // (NOT_LEADER_OR_FOLLOWER) while the next is taken; the idempotent producer's retry of the first then
        // fails for good with OUT_OF_ORDER_SEQUENCE_NUMBER (seen here under load). Order is what the timestamps need.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        t0 = StepGrid.floor(Instant.now().minusSeconds(3 * 3600), STEP);
        // Retention off: the records are hours old, and the broker's time retention would delete them otherwise.
        kafka.admin().createTopics(Stream.of("orders", "trimmed", "untimed", "empty")
                .map(t -> new NewTopic(t, t.equals("orders") ? PARTITIONS : 2, (short) 1).configs(Map.of("retention.ms", "-1")))
                .toList()).all().get();

        List<Future<?>> sent = new ArrayList<>();
        for (int k = 0; k < STEPS; k++) {
            for (int part = 0; part < PARTITIONS; part++) {
                int n = count(k, part);
                for (int i = 0; i < n; i++) {
                    // Spread over the step; the last record of a step is 1 ms before the next boundary.
                    long ts = t0.plusSeconds(k * STEP).toEpochMilli() + (i == n - 1 ? STEP * 1000 - 1 : i * 5000L);
                    sent.add(producer.send(new ProducerRecord<>("orders", part, ts, null, new byte[8])));
                }
            }
        }
        for (int k = 0; k < 10; k++) {
            for (int part = 0; part < 2; part++) {
                sent.add(producer.send(new ProducerRecord<>("trimmed", part, t0.plusSeconds(k * STEP + 30).toEpochMilli(), null, new byte[8])));
            }
        }
        sent.add(producer.send(untimed(new ProducerRecord<>("untimed", 0, null, new byte[8]))));
        producer.flush();
        for (Future<?> f : sent) {
            f.get();
        }
        // Retention deleted partition 1's first 4 records (steps 0..3): what is kept starts at step 4's record.
        kafka.deleteRecordsBefore(new TopicPartition("trimmed", 1), 4);
        firstKept = t0.plusSeconds(4 * STEP + 30);
        kafka.commit("orders-app", Map.of(new TopicPartition("orders", 0), 1L, new TopicPartition("orders", 2), 0L));
    }

    /**
     * A record with no timestamp (CreateTime -1), as clients before Kafka 0.10 wrote them. Today's producer refuses
     * a negative timestamp in the constructor but sends whatever the record holds, and the broker accepts -1.
     */
    private static ProducerRecord<byte[], byte[]> untimed(ProducerRecord<byte[], byte[]> r) throws ReflectiveOperationException {
        Field f = ProducerRecord.class.getDeclaredField("timestamp");
        f.setAccessible(true);
        f.set(r, -1L);
        return r;
    }

    @AfterAll
    void stop() throws Exception {
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private String[] record(Path file, String... more) {
        List<String> a = new ArrayList<>(List.of("trace", "record", "kafka", "--bootstrap", kafka.bootstrapServers(), "-o", file.toString()));
        a.addAll(Arrays.asList(more));
        return a.toArray(String[]::new);
    }

    @Test
    void recordsTheExactRateOfEveryStepAndTheSimulatorReadsItBack() throws Exception {
        Path file = dir.resolve("orders.csv");
        Run r = run(record(file, "--topic", "orders", "--from", t0.toString(), "--to", t0.plusSeconds(STEPS * STEP).toString()));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("recorded " + STEPS + "/" + STEPS + " steps (100 %)"), r.err());

        Trace t = TraceReader.read(file);
        assertEquals(t0, t.start());
        assertEquals(STEP, t.stepSeconds());
        double[] expected = new double[STEPS];
        for (int k = 0; k < STEPS; k++) {
            expected[k] = expectedRate(k);
        }
        assertArrayEquals(expected, t.rates());
        String text = Files.readString(file);
        assertTrue(text.startsWith("# recorded by: bin/autoscaler trace record kafka"), text);
        assertTrue(text.contains("# topic orders (4 partitions)\n"), text);
        assertTrue(text.contains("# range: " + t0 + " .. " + t0.plusSeconds(STEPS * STEP) + " (20 steps)\n"), text);
        assertTrue(text.contains("# step: 1m\n"), text);
        assertEquals(file + ":" + (text.lines().takeWhile(l -> l.startsWith("#")).count() + 2), t.lineOf(0));
    }

    @Test
    void byDefaultTheRangeRunsFromTheFirstRecordToTheLastWholeStep() {
        Path file = dir.resolve("default.csv");
        Instant before = StepGrid.floor(Instant.now(), STEP);
        Run r = run(record(file, "--topic", "orders"));
        assertEquals(0, r.exit(), r.err());
        Trace t = TraceReader.read(file);
        assertEquals(t0, t.start());
        long rows = t.rates().length;
        assertTrue(t0.plusSeconds(rows * STEP).compareTo(before) >= 0 && t0.plusSeconds(rows * STEP).compareTo(Instant.now()) <= 0,
                "ends at the last whole step: " + rows + " rows");
        for (int k = 0; k < rows; k++) {
            assertEquals(k < STEPS ? expectedRate(k) : 0, t.rates()[k], "row " + k);
        }
    }

    @Test
    void aConsumerGroupRecordsAllPartitionsOfItsTopics() {
        Path file = dir.resolve("group.csv");
        Run r = run(record(file, "--group", "orders-app", "--from", t0.toString(), "--to", t0.plusSeconds(STEPS * STEP).toString()));
        assertEquals(0, r.exit(), r.err());
        assertEquals(expectedRate(7), TraceReader.read(file).rates()[7]);
        assertTrue(r.out().contains("consumer group orders-app: topic orders (4 partitions)"), r.out());
    }

    @Test
    void afterRetentionDeletedRecordsTheDefaultStartsAtWhatIsKept() {
        Path file = dir.resolve("trimmed.csv");
        Run r = run(record(file, "--topic", "trimmed", "--to", t0.plusSeconds(10 * STEP).toString()));
        assertEquals(0, r.exit(), r.err());
        Trace t = TraceReader.read(file);
        assertEquals(StepGrid.ceil(firstKept, STEP), t.start());
        assertArrayEquals(new double[] {2 / 60.0, 2 / 60.0, 2 / 60.0, 2 / 60.0, 2 / 60.0}, t.rates());
    }

    /** One bad command line and the error it must give. */
    record Bad(String name, List<String> args, String says) {
        @Override
        public String toString() {
            return name;
        }
    }

    Stream<Bad> badInput() {
        String to = t0.plusSeconds(10 * STEP).toString();
        return Stream.of(
                new Bad("unknown topic", List.of("--topic", "nosuch"), "error: unknown topic nosuch on Kafka at " + kafka.bootstrapServers()),
                new Bad("unknown group", List.of("--group", "nosuch-group"), "error: consumer group 'nosuch-group' has no committed offsets"),
                new Bad("records without timestamps", List.of("--topic", "untimed"),
                        "error: topic untimed has records without timestamps (partition untimed-0, offsets 0..0, CreateTime -1"),
                new Bad("range beyond retention", List.of("--topic", "trimmed", "--from", t0.toString(), "--to", to),
                        "error: range starts at " + t0 + " but the retention of topic trimmed covers only from " + firstKept
                                + " (partition trimmed-1 starts at offset 4, older records are deleted); use --from "
                                + StepGrid.ceil(firstKept, STEP) + " or later"),
                new Bad("range in the future", List.of("--topic", "orders", "--to", "2999-01-01T00:00:00Z"),
                        "error: range ends at 2999-01-01T00:00:00Z, after now"),
                new Bad("empty topic without a range", List.of("--topic", "empty"), "error: topic empty has no records"),
                new Bad("both --from and --last", List.of("--topic", "orders", "--from", to, "--last", "1h"), "error: give --from or --last, not both"),
                new Bad("bad time", List.of("--topic", "orders", "--from", "yesterday"), "error: --from: not an ISO-8601 UTC time"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputIsAOneLineErrorAndExitTwo(Bad c) {
        Path file = dir.resolve("bad.csv");
        List<String> args = new ArrayList<>(List.of(record(file)));
        args.addAll(c.args());
        Run r = run(args.toArray(String[]::new));
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith(c.says()), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(Files.exists(file), "no trace is left behind");
    }

    @Test
    void anUnreachableBrokerIsNamedWithItsCredentialsMasked() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path file = dir.resolve("unreachable.csv");
        Run r = run("trace", "record", "kafka", "--bootstrap", "127.0.0.1:" + closed, "--timeout", "2s", "--topic", "orders",
                "-p", "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"hunter2secret\";",
                "-o", file.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("error: Kafka at 127.0.0.1:" + closed + " did not answer within 2 s"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(r.err().contains("hunter2secret"), r.err());
        assertFalse(Files.exists(file));
    }

    @Test
    void theDaemonConfigsClusterIsUsed() throws Exception {
        Path conf = dir.resolve("daemon.conf");
        Files.writeString(conf, "flinkfleet.daemon.kafka-clusters { main { bootstrap-servers = \"" + kafka.bootstrapServers()
                + "\", admin { \"client.id\" = \"recorder\" } } }\n");
        Path file = dir.resolve("from-config.csv");
        Run r = run("trace", "record", "kafka", "--config", conf.toString(), "--topic", "orders", "--from", t0.toString(),
                "--last", "5m", "--to", t0.plusSeconds(5 * STEP).toString(), "-o", file.toString());
        // --from with --last is refused; without it the cluster of the config is read.
        assertEquals(2, r.exit(), r.err());
        r = run("trace", "record", "kafka", "--config", conf.toString(), "--topic", "orders",
                "--last", "5m", "--to", t0.plusSeconds(5 * STEP).toString(), "-o", file.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(expectedRate(4), TraceReader.read(file).rates()[4]);
        r = run("trace", "record", "kafka", "--config", conf.toString(), "--cluster", "other", "--topic", "orders", "-o", file.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("error: " + conf + ": no Kafka cluster 'other'; defined under flinkfleet.daemon.kafka-clusters: main"), r.err());
    }
}

package dev.flinkfleet.testkit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node KRaft broker in this JVM (tests and the demo), plus the few operations they need (create
 * topics, produce, commit offsets as a group would, add partitions, delete records). The broker comes from
 * Kafka's internal test kit; this class is the only place that touches it.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final long WAIT_SECONDS = 30;

    private final KafkaClusterTestKit cluster;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.admin = Admin.create(adminConfig());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Starts a broker (about 3 s). */
    public static EmbeddedKafka start() {
        // The test kit prints its bootstrap metadata on stdout, where the demo prints its decisions.
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                    // The default can be an unreleased metadata version.
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction()).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    // A restarted consumer group (the demo's fake job) must join at once, not after 3 s.
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the embedded Kafka broker", e);
        } finally {
            System.setOut(stdout);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Config for an Admin client on this broker. */
    public Map<String, Object> adminConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        return c;
    }

    /** The helper's own Admin client (owned by this helper; do not close). */
    public Admin admin() {
        return admin;
    }

    public void createTopic(String name, int partitions) {
        createTopics(List.of(name), partitions);
    }

    /**
     * Creates the topics and returns once every partition has a leader. Producing the moment a topic exists can
     * race the partition leader's start (NOT_LEADER, then an idempotent producer stuck on OUT_OF_ORDER_SEQUENCE),
     * so this waits until every partition answers a log-end offset query.
     */
    public void createTopics(List<String> names, int partitions) {
        await(admin.createTopics(names.stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList()).all());
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> all = new HashMap<>();
        for (String t : names) {
            for (int p = 0; p < partitions; p++) {
                all.put(new TopicPartition(t, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            try {
                admin.listOffsets(all).all().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("partitions of " + names + " have no leader", e);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(ie);
                }
            }
        }
    }

    /** Writes {@code records} small records to one partition and waits until they are acknowledged. */
    public void produce(String topic, int partition, int records) {
        produce(Map.of(new TopicPartition(topic, partition), records));
    }

    /** Writes the given number of small records to each partition, then waits for all acknowledgements once. */
    public void produce(Map<TopicPartition, Integer> recordsByPartition) {
        byte[] value = new byte[16];
        List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
        recordsByPartition.forEach((tp, n) -> {
            for (int i = 0; i < n; i++) {
                sent.add(producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), null, value)));
            }
        });
        producer.flush();
        for (java.util.concurrent.Future<?> f : sent) {
            try {
                f.get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("produce failed", e);
            }
        }
    }

    /** Commits offsets for a group as its consumer would (the group must have no active members). */
    public void commit(String group, Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> m = new HashMap<>();
        offsets.forEach((tp, o) -> m.put(tp, new OffsetAndMetadata(o)));
        await(admin.alterConsumerGroupOffsets(group, m).all());
    }

    /** Commits for many groups at once: all requests are in flight together. */
    public void commitAll(Map<String, Map<TopicPartition, Long>> offsetsByGroup) {
        List<org.apache.kafka.common.KafkaFuture<Void>> pending = new java.util.ArrayList<>();
        offsetsByGroup.forEach((group, offsets) -> {
            Map<TopicPartition, OffsetAndMetadata> m = new HashMap<>();
            offsets.forEach((tp, o) -> m.put(tp, new OffsetAndMetadata(o)));
            pending.add(admin.alterConsumerGroupOffsets(group, m).all());
        });
        pending.forEach(EmbeddedKafka::await);
    }

    public void addPartitions(String topic, int newTotal) {
        await(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(newTotal))).all());
    }

    /** Moves a partition's log start to {@code offset}, as retention would. */
    public void deleteRecordsBefore(TopicPartition tp, long offset) {
        await(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(offset))).all());
    }

    private static <T> T await(org.apache.kafka.common.KafkaFuture<T> f) {
        try {
            return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
        cluster.close();
    }
}

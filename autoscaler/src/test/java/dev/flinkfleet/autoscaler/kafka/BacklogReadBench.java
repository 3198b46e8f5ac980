package dev.flinkfleet.autoscaler.kafka;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

import dev.flinkfleet.testkit.EmbeddedKafka;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.signals.OffsetObservation;

/**
 * Bench command (not a test): wall time of one {@link KafkaBacklogReader#read} for G groups × P partitions
 * against the embedded broker. Run with the test classpath:
 * {@code java -cp ... dev.flinkfleet.autoscaler.kafka.BacklogReadBench [groups] [partitions] [reads]}.
 */
public final class BacklogReadBench {

    public static void main(String[] args) throws Exception {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int reads = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        KafkaSignalSettings settings = new KafkaSignalSettings(Duration.ofSeconds(10), Duration.ofMinutes(5),
                Duration.ofMinutes(1), Duration.ofMinutes(2), 64, Duration.ofMinutes(3));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); Admin admin = Admin.create(kafka.adminConfig())) {
            List<String> topics = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                topics.add("bench-" + g);
            }
            kafka.createTopics(topics, partitions);
            Map<String, Map<TopicPartition, Long>> commits = new HashMap<>();
            Map<JobRef, GroupBinding> jobs = new HashMap<>();
            for (int g = 0; g < groups; g++) {
                Map<TopicPartition, Long> c = new HashMap<>();
                for (int p = 0; p < partitions; p++) {
                    TopicPartition tp = new TopicPartition(topics.get(g), p);
                    c.put(tp, 0L);
                }
                commits.put("bench-group-" + g, c);
                jobs.put(new JobRef("bench", "job-" + g), GroupBinding.of("bench-group-" + g, topics.get(g)));
            }
            // Record counts do not change the cost of a read (offsets only), so the logs stay empty.
            kafka.commitAll(commits);

            KafkaBacklogReader reader = new KafkaBacklogReader(admin, settings, Clock.systemUTC());
            long t0 = System.nanoTime();
            reader.read(jobs);
            double firstMs = (System.nanoTime() - t0) / 1e6;
            for (int i = 0; i < 5; i++) {
                reader.read(jobs);
            }
            double[] ms = new double[reads];
            for (int i = 0; i < reads; i++) {
                long s = System.nanoTime();
                Map<JobRef, OffsetObservation> r = reader.read(jobs);
                ms[i] = (System.nanoTime() - s) / 1e6;
                if (r.values().stream().anyMatch(x -> x.status() != OffsetObservation.Status.OK)) {
                    throw new IllegalStateException("a read failed: " + r);
                }
            }
            Arrays.sort(ms);
            System.out.printf("%d groups x %d partitions: first read (with describeTopics) %.1f ms; "
                            + "cached reads over %d: median %.1f ms, p90 %.1f ms, max %.1f ms%n",
                    groups, partitions, firstMs, reads, ms[reads / 2], ms[(int) (reads * 0.9)], ms[reads - 1]);
        }
    }
}

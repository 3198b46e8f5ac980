package dev.flinkfleet.autoscaler.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.flinkfleet.testkit.EmbeddedKafka;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.signals.BacklogSignals;
import dev.flinkfleet.policies.signals.OffsetObservation;
import dev.flinkfleet.policies.signals.PartitionLag;
import dev.flinkfleet.autoscaler.testing.MutableClock;
import dev.flinkfleet.autoscaler.testing.StallingProxy;

/** The reader against a real broker: one broker for the class, distinct topics and groups per test. */
class KafkaBacklogReaderTest {

    static final Duration TTL = Duration.ofMinutes(5);
    static final KafkaSignalSettings SETTINGS = new KafkaSignalSettings(Duration.ofSeconds(10), TTL,
            Duration.ofSeconds(60), Duration.ofSeconds(60), 16, Duration.ofSeconds(90));

    static EmbeddedKafka kafka;

    MutableClock clock;
    CountingAdmin counting;
    KafkaBacklogReader reader;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    @BeforeEach
    void newReader() {
        clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        counting = new CountingAdmin(kafka.admin());
        reader = new KafkaBacklogReader(counting.admin(), SETTINGS, clock);
    }

    @Test
    void manyGroupsAreReadWithOneCallEach() {
        int groups = 30;
        int partitions = 4;
        List<String> topics = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            topics.add("many-" + g);
        }
        kafka.createTopics(topics, partitions);
        Map<JobRef, GroupBinding> jobs = new HashMap<>();
        Map<JobRef, Long> expectedLag = new HashMap<>();
        Map<TopicPartition, Integer> produce = new HashMap<>();
        Map<String, Map<TopicPartition, Long>> commitsByGroup = new HashMap<>();
        for (int g = 0; g < groups; g++) {
            JobRef job = new JobRef("ns", "job-" + g);
            long lag = 0;
            Map<TopicPartition, Long> commits = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                int produced = 10 + g + p;
                long committed = produced / 2;
                produce.put(new TopicPartition(topics.get(g), p), produced);
                commits.put(new TopicPartition(topics.get(g), p), committed);
                lag += produced - committed;
            }
            commitsByGroup.put("group-" + g, commits);
            jobs.put(job, GroupBinding.of("group-" + g, topics.get(g)));
            expectedLag.put(job, lag);
        }
        kafka.produce(produce);
        kafka.commitAll(commitsByGroup);

        Map<JobRef, OffsetObservation> read = reader.read(jobs);

        assertEquals(groups, read.size());
        for (Map.Entry<JobRef, Long> e : expectedLag.entrySet()) {
            OffsetObservation s = read.get(e.getKey());
            assertEquals(OffsetObservation.Status.OK, s.status(), s.toString());
            assertEquals(e.getValue(), s.totalLag().getAsLong(), s.toString());
            assertEquals(partitions, s.partitionCount());
            assertEquals(s.logEndSum().getAsLong() - s.positionSum().getAsLong(), s.totalLag().getAsLong());
        }
        assertEquals(1, counting.calls("describeTopics"), "topic metadata in one call");
        assertEquals(1, counting.calls("listConsumerGroupOffsets"), "committed offsets in one call");
        assertEquals(1, counting.calls("listOffsets"), "log-end offsets in one call");

        counting.reset();
        reader.read(jobs);
        assertEquals(0, counting.calls("describeTopics"), "partition counts come from the cache");
        assertEquals(1, counting.calls("listConsumerGroupOffsets"));
        assertEquals(1, counting.calls("listOffsets"));
    }

    @Test
    void growthAndInputRateFollowProducedAndCommittedRecords() {
        String topic = "growth";
        kafka.createTopics(List.of(topic), 2);
        JobRef job = new JobRef("ns", "growth");
        Map<JobRef, GroupBinding> jobs = Map.of(job, GroupBinding.of("growth-group", topic));
        BacklogSignals signals = new BacklogSignals(SETTINGS.offsets());
        Duration step = Duration.ofSeconds(60);

        // Per partition: log end and committed offset at three reads, a checkpoint commit before each read.
        long[] ends = {100, 160, 280};
        long[] commits = {50, 100, 160};
        long produced = 0;
        Map<JobRef, BacklogSignals.KafkaMeasurements> m = Map.of();
        for (int i = 0; i < ends.length; i++) {
            if (i > 0) {
                clock.advance(step);
            }
            int more = (int) (ends[i] - produced);
            kafka.produce(Map.of(new TopicPartition(topic, 0), more, new TopicPartition(topic, 1), more));
            produced = ends[i];
            kafka.commit("growth-group", Map.of(new TopicPartition(topic, 0), commits[i], new TopicPartition(topic, 1), commits[i]));
            m = signals.update(reader.read(jobs), clock.instant());
        }

        BacklogSignals.KafkaMeasurements now = m.get(job);
        double seconds = step.toSeconds();
        double lag1 = 2 * (ends[1] - commits[1]);
        double lag2 = 2 * (ends[2] - commits[2]);
        assertEquals(lag2, now.backlog().value(), 1e-9);
        assertEquals((lag2 - lag1) / seconds, now.backlogGrowth().value(), 1e-9);
        assertEquals(2 * (ends[2] - ends[1]) / seconds, now.inputRate().value(), 1e-9);
        assertEquals(Quality.FRESH, now.backlogGrowth().quality());
        assertEquals(2, now.maxParallelism());
    }

    @Test
    void groupThatNeverCommittedHasNoLag() {
        kafka.createTopics(List.of("fresh-job"), 3);
        kafka.produce("fresh-job", 0, 40);
        JobRef job = new JobRef("ns", "fresh");

        Map<JobRef, OffsetObservation> read = reader.read(Map.of(job, GroupBinding.of("never-committed", "fresh-job")));

        OffsetObservation s = read.get(job);
        assertEquals(OffsetObservation.Status.NO_COMMITS, s.status());
        assertTrue(s.totalLag().isEmpty(), "lag is unknown, not zero");
        assertEquals(40, s.logEndSum().getAsLong());
        assertEquals(3, s.partitionCount());
        BacklogSignals.KafkaMeasurements m = new BacklogSignals(SETTINGS.offsets()).update(read, clock.instant()).get(job);
        assertTrue(m.backlog().isMissing());
        assertTrue(m.backlogGrowth().isMissing());
    }

    @Test
    void partitionWithoutCommitCountsFromLogStart() {
        String topic = "half-committed";
        kafka.createTopics(List.of(topic), 2);
        kafka.produce(topic, 0, 50);
        kafka.produce(topic, 1, 50);
        TopicPartition p1 = new TopicPartition(topic, 1);
        kafka.deleteRecordsBefore(p1, 20);
        kafka.commit("half", Map.of(new TopicPartition(topic, 0), 30L));
        JobRef job = new JobRef("ns", "half");

        OffsetObservation s = reader.read(Map.of(job, GroupBinding.of("half", topic))).get(job);

        assertEquals(OffsetObservation.Status.OK, s.status(), s.toString());
        PartitionLag second = s.partitions().stream().filter(p -> p.partition() == 1).findFirst().orElseThrow();
        assertEquals(PartitionLag.Basis.LOG_START, second.basis());
        assertEquals(50 - 20, second.lag());
        assertEquals((50 - 30) + (50 - 20), s.totalLag().getAsLong());
        assertEquals(2, counting.calls("listOffsets"), "latest for all, earliest only for the uncommitted partition");
    }

    @Test
    void addedPartitionAppearsAfterTheMetadataTtl() {
        String topic = "growing-topic";
        kafka.createTopics(List.of(topic), 2);
        kafka.commit("growing", Map.of(new TopicPartition(topic, 0), 0L));
        JobRef job = new JobRef("ns", "growing");
        Map<JobRef, GroupBinding> jobs = Map.of(job, GroupBinding.of("growing", topic));
        assertEquals(2, reader.read(jobs).get(job).partitionCount());

        kafka.addPartitions(topic, 5);
        clock.advance(TTL.minusSeconds(1));
        assertEquals(2, reader.read(jobs).get(job).partitionCount(), "cached until the TTL passes");
        clock.advance(Duration.ofSeconds(2));
        assertEquals(5, reader.read(jobs).get(job).partitionCount(), "described again after the TTL");
        assertEquals(2, counting.calls("describeTopics"));
    }

    @Test
    void failingTopicFailsOnlyItsJob() {
        kafka.createTopics(List.of("healthy"), 1);
        kafka.produce("healthy", 0, 7);
        kafka.commit("healthy-group", Map.of(new TopicPartition("healthy", 0), 2L));
        JobRef broken = new JobRef("ns", "broken");
        JobRef healthy = new JobRef("ns", "healthy");

        Map<JobRef, OffsetObservation> read = reader.read(Map.of(
                broken, GroupBinding.of("broken-group", "no-such-topic"),
                healthy, GroupBinding.of("healthy-group", "healthy")));

        assertEquals(OffsetObservation.Status.FAILED, read.get(broken).status());
        assertTrue(read.get(broken).failure().contains("no-such-topic"), read.get(broken).failure());
        assertEquals(OffsetObservation.Status.OK, read.get(healthy).status());
        assertEquals(7 - 2, read.get(healthy).totalLag().getAsLong());
    }

    @Test
    void committedBeyondLogEndIsClampedAndFlagged() {
        kafka.createTopics(List.of("short-log"), 1);
        kafka.produce("short-log", 0, 10);
        kafka.commit("ahead", Map.of(new TopicPartition("short-log", 0), 1_000L));
        JobRef job = new JobRef("ns", "ahead");

        OffsetObservation s = reader.read(Map.of(job, GroupBinding.of("ahead", "short-log"))).get(job);

        assertEquals(0, s.totalLag().getAsLong());
        assertEquals(1, s.flagged().size());
    }

    @Test
    void closedAdminFailsEveryJobWithAReason() {
        KafkaBacklogReader owning = KafkaBacklogReader.create(kafka.adminConfig(), SETTINGS, clock);
        owning.close();
        JobRef job = new JobRef("ns", "closed");

        OffsetObservation s = owning.read(Map.of(job, GroupBinding.of("g", "t"))).get(job);

        assertEquals(OffsetObservation.Status.FAILED, s.status());
        assertTrue(!s.failure().isBlank());
    }

    @Test
    void readByFailsTheClusterOnlyWhenNoBrokerAnswers() throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        // A topic the broker says does not exist is an answer: that job fails, the cluster does not.
        JobRef missing = new JobRef("ns", "missing");
        OffsetObservation s = reader.readBy(Map.of(missing, GroupBinding.of("missing-group", "no-such-topic-2")), deadline).get(missing);
        assertEquals(OffsetObservation.Status.FAILED, s.status());

        // A broker that accepts connections and never answers: unreachable, within the deadline, no retry worth it.
        try (StallingProxy hung = StallingProxy.stalling();
             KafkaBacklogReader stuck = KafkaBacklogReader.create(new HashMap<>(Map.of("bootstrap.servers", hung.address())), SETTINGS, clock)) {
            long t0 = System.nanoTime();
            KafkaUnreachableException e = assertThrows(KafkaUnreachableException.class,
                    () -> stuck.readBy(Map.of(missing, GroupBinding.of("g", "t")), System.nanoTime() + 1_000_000_000L));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 2_500, "bounded by the 1 s deadline, took " + ms + " ms");
            assertTrue(e.deadlineSpent(), e.getMessage());
            assertTrue(e.getMessage().startsWith("no broker answered: TimeoutException"), e.getMessage());

            // No time left: fails at once without issuing calls.
            assertTrue(assertThrows(KafkaUnreachableException.class,
                    () -> stuck.readBy(Map.of(missing, GroupBinding.of("g", "t")), System.nanoTime() - 1)).deadlineSpent());
        }
    }
}

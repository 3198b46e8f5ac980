package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.JobRef;

class ShardMapTest {

    /**
     * Pinned shards: computed outside Java with Python's {@code zlib.crc32(b"namespace/name") % shards}, so a
     * change of hash (or of its input bytes) that would move jobs between shards on an upgrade fails here.
     */
    record Case(String namespace, String name, int shards, int shard) {
    }

    static Stream<Case> pinned() {
        return Stream.of(
                new Case("streaming", "orders", 4, 2),        // crc32 2822430618
                new Case("streaming", "orders", 16, 10),
                new Case("streaming", "orders", 7, 0),
                new Case("streaming", "payments", 4, 1),      // crc32 4225837873 (> 2^31: unsigned)
                new Case("streaming", "payments", 7, 5),
                new Case("team-a", "fraud-detector", 16, 13), // crc32 4077216093
                new Case("ns", "job-0", 7, 2),                // crc32 1985932545
                new Case("ns", "job-1", 4, 3),                // crc32 22666647
                new Case("x", "é", 16, 3),                     // UTF-8 bytes, not UTF-16: crc32 4077111667
                new Case("streaming", "orders", 1, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pinned")
    void shardIsCrc32OfNamespaceSlashNameModShards(Case c) {
        assertEquals(c.shard(), new ShardMap(c.shards(), "l").shardOf(new JobRef(c.namespace(), c.name())));
    }

    record LeaseCase(int shards, int shard, String lease) {
    }

    static Stream<LeaseCase> leases() {
        return Stream.of(new LeaseCase(1, 0, "flinkfleet-autoscaler"), new LeaseCase(3, 0, "flinkfleet-autoscaler-0"),
                new LeaseCase(3, 2, "flinkfleet-autoscaler-2"), new LeaseCase(12, 11, "flinkfleet-autoscaler-11"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leases")
    void oneShardKeepsTodaysLeaseName(LeaseCase c) {
        assertEquals(c.lease(), new ShardMap(c.shards(), "flinkfleet-autoscaler").lease(c.shard()));
    }

    @Test
    void jobsSpreadOverEveryShard() {
        ShardMap m = new ShardMap(8, "l");
        int[] count = new int[8];
        for (int i = 0; i < 8000; i++) {
            count[m.shardOf(new JobRef("ns-" + i % 13, "job-" + i))]++;
        }
        for (int c : count) {
            assertTrue(c > 800 && c < 1200, java.util.Arrays.toString(count));
        }
    }
}

package dev.flinkfleet.autoscaler.daemon;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import dev.flinkfleet.policies.JobRef;

/**
 * Which shard a job belongs to, and the name of each shard's Lease. A job's shard is the CRC-32 (IEEE 802.3,
 * as {@link CRC32} and zlib compute it) of the UTF-8 bytes of {@code namespace + "/" + name}, taken modulo the
 * number of shards. CRC-32 is fixed by its standard, so every replica, JVM and version agrees on it (unlike
 * {@link String#hashCode}, whose value no specification promises to keep); {@code ShardMapTest} pins values.
 * One shard keeps today's Lease name; several are named {@code <lease-name>-<i>}, i from 0.
 */
record ShardMap(int shards, String leaseName) {

    ShardMap {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be >= 1, got " + shards);
        }
    }

    /** The shard of {@code job}, 0 .. shards-1. */
    int shardOf(JobRef job) {
        return shardOf(job.namespace(), job.name(), shards);
    }

    static int shardOf(String namespace, String name, int shards) {
        if (shards == 1) {
            return 0;
        }
        CRC32 crc = new CRC32();
        crc.update((namespace + "/" + name).getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % shards);
    }

    /** The Lease of {@code shard}: the configured name alone when there is one shard, so nothing changes for one replica. */
    String lease(int shard) {
        return shards == 1 ? leaseName : leaseName + "-" + shard;
    }
}

package dev.flinkfleet.autoscaler.daemon;

/**
 * The fleet rescale budget split across shards: shard i gets {@code total / shards}, and the first
 * {@code total % shards} shards one more. The shares sum to exactly the total, so however the shards are spread
 * over replicas the replicas together never exceed it; a replica holding k of n shards gets the sum of their
 * shares, k/n of the total rounded down or up by the remainder it happens to hold.
 */
final class ShardBudget {

    private ShardBudget() {
    }

    /** Rescales per period of {@code shard} out of {@code total} across {@code shards}. */
    static int share(int total, int shards, int shard) {
        if (shards < 1 || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard " + shard + " of " + shards);
        }
        return total / shards + (shard < total % shards ? 1 : 0);
    }

    /** The budget of a replica holding {@code held}. */
    static int shareOf(int total, int shards, Iterable<Integer> held) {
        int sum = 0;
        for (int s : held) {
            sum += share(total, shards, s);
        }
        return sum;
    }
}

package dev.flinkfleet.autoscaler.daemon;

import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Where this replica stands, read at each scrape: {@code flinkfleet_leader} (1 while it holds a shard and so
 * runs cycles) and {@code flinkfleet_shards} (shards configured). With leader election, {@link ShardLeases}
 * exports {@code flinkfleet_shard_held} per shard; without it this replica holds every shard, and says so in
 * the same series, so dashboards and alerts read one shape either way.
 */
final class LeadershipMetrics {

    private LeadershipMetrics() {
    }

    /**
     * @param held          the shards held now
     * @param withShardHeld also export {@code flinkfleet_shard_held} (when no {@link ShardLeases} does)
     */
    static void register(PrometheusRegistry registry, BooleanSupplier leader, int shards, Supplier<Set<Integer>> held, boolean withShardHeld) {
        GaugeWithCallback.builder().name("flinkfleet_leader")
                .help("1 while this replica holds at least one shard Lease and runs control cycles (always 1 without leader election), else 0")
                .callback(cb -> cb.call(leader.getAsBoolean() ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("flinkfleet_shards")
                .help("Shards the fleet is split into (flinkfleet.daemon.leader-election.shards)")
                .callback(cb -> cb.call(shards)).register(registry);
        if (withShardHeld) {
            GaugeWithCallback.builder().name("flinkfleet_shard_held")
                    .help("1 for each shard whose Lease this replica holds (it decides that shard's jobs), 0 for the others")
                    .labelNames("shard")
                    .callback(cb -> {
                        Set<Integer> h = held.get();
                        for (int s = 0; s < shards; s++) {
                            cb.call(h.contains(s) ? 1 : 0, String.valueOf(s));
                        }
                    }).register(registry);
        }
    }
}

package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ShardBudgetTest {

    /** A fleet budget, the shard count, the shards one replica holds and the share it gets. */
    record Case(int total, int shards, Set<Integer> held, int share) {
    }

    static Stream<Case> splits() {
        return Stream.of(
                new Case(20, 1, Set.of(0), 20),          // one shard: the whole budget, as before
                new Case(20, 4, Set.of(0, 1), 10),       // k/n exactly
                new Case(20, 3, Set.of(0), 7),           // 7 + 7 + 6: the remainder to the lowest shards
                new Case(20, 3, Set.of(2), 6),
                new Case(20, 3, Set.of(1, 2), 13),
                new Case(20, 3, Set.of(0, 1, 2), 20),
                new Case(5, 5, Set.of(3), 1),            // the least allowed: one per shard
                new Case(10, 6, Set.of(4, 5), 2),        // 2 2 2 2 1 1
                new Case(10, 6, Set.of(0, 1, 2), 6),
                new Case(10, 6, Set.of(), 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("splits")
    void replicaGetsTheSumOfItsShardsShares(Case c) {
        assertEquals(c.share(), ShardBudget.shareOf(c.total(), c.shards(), c.held()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("splits")
    void sharesOfAllShardsSumToTheTotalAndDifferByAtMostOne(Case c) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < c.shards(); i++) {
            all.add(i);
        }
        assertEquals(c.total(), ShardBudget.shareOf(c.total(), c.shards(), all));
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int i : all) {
            min = Math.min(min, ShardBudget.share(c.total(), c.shards(), i));
            max = Math.max(max, ShardBudget.share(c.total(), c.shards(), i));
        }
        assertTrue(max - min <= 1 && min >= 1, min + ".." + max);
    }
}

package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;

class ShardBudgetActuatorTest {

    /**
     * A replica holding {@code held} of {@code shards}, asked to rescale {@code perShard} jobs of every shard within
     * one minute: it applies {@code applied} (its pooled share), holds the rest of its own shards' jobs with
     * HOLD_BUDGET and never touches a job of a shard it does not hold.
     */
    record Case(String name, int total, int shards, Set<Integer> held, int perShard, int applied) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("one shard is the fleet budget", 5, 1, Set.of(0), 8, 5),
                new Case("two of three shards, 7 = 3+2+2", 7, 3, Set.of(0, 2), 8, 5),
                new Case("shares pooled: shard 0's jobs use shard 1's spare", 7, 3, Set.of(0, 1), 8, 5),
                new Case("fewer jobs than the share", 20, 4, Set.of(3), 2, 2),
                new Case("holding none applies nothing", 7, 3, Set.of(), 8, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void appliesItsShareOfTheFleetBudgetOnlyToHeldShards(Case c) throws Exception {
        ShardMap map = new ShardMap(c.shards(), "l");
        List<JobRef> patched = new ArrayList<>();
        Actuator delegate = d -> {
            patched.add(d.job());
            return Actuator.Result.applied("ok");
        };
        Clock clock = Clock.fixed(DaemonTestSupport.NOW, ZoneOffset.UTC);
        ShardBudgetActuator a = new ShardBudgetActuator(delegate, map, c.total(), Duration.ofMinutes(1), clock, c.held()::contains);
        int[] perShard = new int[c.shards()];
        int budgetHolds = 0;
        int notHeld = 0;
        for (int i = 0; perShard.length > 0 && minOf(perShard) < c.perShard(); i++) {
            JobRef job = new JobRef("ns", "job-" + i);
            int s = map.shardOf(job);
            if (perShard[s] >= c.perShard()) {
                continue;
            }
            perShard[s]++;
            Actuator.Result r = a.apply(DaemonTestSupport.decision(job, 2, 4, ReasonCode.SCALE_UP_BACKLOG));
            if (!c.held().contains(s)) {
                assertEquals(ReasonCode.HOLD_UNSAFE_STATE, r.reason(), r.detail());
                notHeld++;
            } else if (!r.applied()) {
                assertEquals(ReasonCode.HOLD_BUDGET, r.reason(), r.detail());
                budgetHolds++;
            }
        }
        assertEquals(c.applied(), patched.size(), "rescales applied");
        assertEquals(c.held().size() * c.perShard() - c.applied(), budgetHolds);
        assertEquals((c.shards() - c.held().size()) * c.perShard(), notHeld);
        patched.forEach(j -> assertEquals(true, c.held().contains(map.shardOf(j)), j + " of a shard not held"));
        assertEquals(ShardBudget.shareOf(c.total(), c.shards(), c.held()) - c.applied(), a.remaining(), "budget left here");
    }

    private static int minOf(int[] a) {
        return java.util.Arrays.stream(a).min().orElse(0);
    }
}

package dev.flinkfleet.policies.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.PolicyContext;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.RememberedCapacity;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/** Every rate policy sizes an idle or quiet job from the capacity remembered while it was busy. */
class RememberedCapacitySizingTest {

    private static final double NA = Double.NaN;
    private static final RememberedCapacity MEMORY = new RememberedCapacity(1000, Fixtures.NOW.minusSeconds(3600));
    private static final PolicyContext REMEMBERS = new PolicyContext(MEMORY);

    /**
     * Needed rates with the reference defaults, for input i and backlog b:
     * sla-headroom max(i / 0.7, (b + i × (60 + 30)) / 180); target-utilization i / 0.7 + b / 300 + i × 60 / 300;
     * backlog-drain i / 0.7 + b / 60 (target-cpu and time-to-drain).
     */
    record Case(String name, String policy, int workers, double input, double throughput, double backlog, double cpu,
                PolicyContext ctx, boolean staleInput, int expected, ReasonCode reason) {
        @Override
        public String toString() {
            return policy + ": " + name;
        }
    }

    static Stream<Case> cases() {
        Stream.Builder<Case> b = Stream.builder();
        for (String p : new String[] {"sla-headroom", "target-utilization", "backlog-drain"}) {
            b.add(new Case("idle job goes to one worker", p, 40, 0, 0, 0, 0, REMEMBERS, false, 1, ReasonCode.SCALE_DOWN_UTILIZATION));
            b.add(new Case("idle job without memory holds", p, 40, 0, 0, 0, 0, PolicyContext.NONE, false, 40, ReasonCode.HOLD_INSUFFICIENT_SIGNALS));
            b.add(new Case("idle on a stale input rate does not shrink", p, 40, 0, 0, 0, 0, REMEMBERS, true, 40, ReasonCode.HOLD_INSUFFICIENT_SIGNALS));
            b.add(new Case("restarting job with a backlog scales up from memory", p, 1, 3000, 0, 600000, 0, REMEMBERS, false, -1,
                    ReasonCode.SCALE_UP_UTILIZATION));
        }
        // A quiet job: CPU 0.01 says nothing about capacity; 350 events/s needs 350 / 0.7 = 500 (sla-headroom) and
        // 350 / 0.7 + 350 × 60 / 300 = 570 (target-utilization) events/s: one worker at 1000 per worker.
        b.add(new Case("quiet job at a noisy CPU goes to what its input needs", "sla-headroom", 40, 350, 350, 0, 0.01, REMEMBERS, false, 1,
                ReasonCode.SCALE_DOWN_UTILIZATION));
        b.add(new Case("quiet job at a noisy CPU goes to what its input needs", "target-utilization", 40, 350, 350, 0, 0.01, REMEMBERS, false, 1,
                ReasonCode.SCALE_DOWN_UTILIZATION));
        // 2100 events/s: sla-headroom max(3000, 2100 × 90 / 180 = 1050) = 3000 → 3 workers
        b.add(new Case("quiet job needing three workers", "sla-headroom", 40, 2100, 2100, 0, 0.01, REMEMBERS, false, 3,
                ReasonCode.SCALE_DOWN_UTILIZATION));
        return b.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sizesFromTheRememberedCapacity(Case c) {
        ScalingPolicy policy = Fixtures.policy(c.policy(), "");
        Signals.Builder sb = Signals.builder(Fixtures.JOB, Fixtures.NOW).workers(c.workers()).parallelism(c.workers())
                .fresh(SignalKind.INPUT_RATE, c.input())
                .fresh(SignalKind.THROUGHPUT, c.throughput())
                .fresh(SignalKind.BACKLOG, c.backlog())
                .fresh(SignalKind.BACKLOG_GROWTH, 0)
                .fresh(SignalKind.CPU, c.cpu());
        if (c.staleInput()) {
            sb.set(SignalKind.INPUT_RATE, new Measurement(c.input(), 600, Quality.STALE));
        }
        Recommendation r = policy.recommend(sb.build(), c.ctx());
        assertEquals(c.reason(), r.reason(), r.explanation());
        if (c.expected() > 0) {
            assertEquals(c.expected(), r.targetWorkers(), r.explanation());
        } else {
            // Whatever the formula, a restart with 3000/s arriving needs more than one 1000/s worker.
            assertTrue(r.targetWorkers() > 3, r.explanation());
        }
        if (c.ctx().capacity() != null && !c.staleInput()) {
            assertTrue(r.explanation().contains("remembered"), r.explanation());
            assertEquals(1000, r.inputs().get("remembered-per-worker"), 1e-9);
        }
    }
}

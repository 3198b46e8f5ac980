package dev.flinkfleet.policies.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/**
 * The sentences users read stay word for word now that policies compute first and render on demand: each
 * expected text was printed by the policies before that change (commit 602e944, where recommend() built its
 * prose eagerly), for the same signals and reference defaults.
 */
class ExplanationTextTest {

    private static final double N = Double.NaN;

    record Case(String name, String policy, Signals signals, ReasonCode reason, int target, String text) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Fresh signals for one job; NaN leaves a signal missing. */
    static Signals sig(int workers, double input, double throughput, double cpu, double backlog, double growth, double backlogTime) {
        Signals.Builder b = Signals.builder(new JobRef("ns", "job"), Instant.parse("2026-01-01T00:00:00Z")).workers(workers);
        set(b, SignalKind.INPUT_RATE, input);
        set(b, SignalKind.THROUGHPUT, throughput);
        set(b, SignalKind.CPU, cpu);
        set(b, SignalKind.BACKLOG, backlog);
        set(b, SignalKind.BACKLOG_GROWTH, growth);
        set(b, SignalKind.BACKLOG_TIME, backlogTime);
        return b.build();
    }

    private static void set(Signals.Builder b, SignalKind kind, double v) {
        if (!Double.isNaN(v)) {
            b.fresh(kind, v);
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("sla-headroom scale_up_utilization", "sla-headroom", sig(10, 9000, 6000, 0.8, 200000, 3000, N), ReasonCode.SCALE_UP_UTILIZATION, 18,
                        "utilisation 1.2 = 9000 / (750 per worker × 10), backlog time 26.667 s against a budget of 180 s; needed rate max(9000 / 0.7, 1010000 left after a rescale / 180 s) = 12857.143, ÷ 750 per worker = 17.143, so 18 workers"),
                new Case("sla-headroom scale_down_utilization", "sla-headroom", sig(10, 2000, 2000, 0.5, 0, 0, N), ReasonCode.SCALE_DOWN_UTILIZATION, 8,
                        "utilisation 0.5 = 2000 / (400 per worker × 10), backlog time 0 s against a budget of 180 s; needed rate max(2000 / 0.7, 180000 left after a rescale / 180 s) = 2857.143, ÷ 400 per worker = 7.143, so 8 workers, saving 0.2"),
                new Case("sla-headroom hold_in_range", "sla-headroom", sig(10, 5000, 5000, 0.75, 1000, 0, N), ReasonCode.HOLD_IN_RANGE, 10,
                        "utilisation 0.75 = 5000 / (666.667 per worker × 10), backlog time 0.15 s against a budget of 180 s: within 1 and the budget"),
                new Case("sla-headroom hold_insufficient_signals", "sla-headroom", sig(10, N, 5000, 0.75, N, N, N), ReasonCode.HOLD_INSUFFICIENT_SIGNALS, 10,
                        "input rate and backlog growth are both missing: the input cannot be estimated"),
                new Case("target-utilization scale_up_utilization", "target-utilization", sig(10, 9000, 6000, 0.8, 50000, 3000, N), ReasonCode.SCALE_UP_UTILIZATION, 20,
                        "utilisation 1.2 = 9000 / (750 per worker × 10), backlog drains in infinite s; needed rate 9000 / 0.7 + 50000 / 300 + 9000 × 60 / 300 = 14823.81, ÷ 750 per worker = 19.765, so 20 workers"),
                new Case("target-utilization scale_down_utilization", "target-utilization", sig(8, 1000, 1000, 0.2, 0, 0, N), ReasonCode.SCALE_DOWN_UTILIZATION, 3,
                        "utilisation 0.2 = 1000 / (625 per worker × 8), backlog drains in 0 s; needed rate 1000 / 0.7 + 0 / 300 + 1000 × 60 / 300 = 1628.571, ÷ 625 per worker = 2.606, so 3 workers"),
                new Case("target-utilization hold_insufficient_signals", "target-utilization", sig(4, 3000, 3000, 0.03, 0, 0, N), ReasonCode.HOLD_INSUFFICIENT_SIGNALS, 4,
                        "CPU is 0.03, below 0.05: the true processing rate cannot be estimated"),
                new Case("backlog-drain scale_up_backlog", "backlog-drain", sig(4, N, 1000, 0.9, N, 50, 300), ReasonCode.SCALE_UP_BACKLOG, 25,
                        "backlog time 300 s > 120 s: require 4 × (50 + 1000) / 1000 = 4.2 plus extra 4 × 300 / 60 = 20, so 25 workers"),
                new Case("backlog-drain scale_down_cpu", "backlog-drain", sig(10, N, 1000, 0.1, N, -5, 2), ReasonCode.SCALE_DOWN_CPU, 2,
                        "CPU 0.1 < 0.7, backlog growth -5 <= 0 and backlog time 2 s < 10 s: 10 × 0.1 / 0.7 = 1.429, so 2 workers"),
                new Case("backlog-drain hold_in_range", "backlog-drain", sig(10, N, 1000, 0.5, N, 5, 30), ReasonCode.HOLD_IN_RANGE, 10,
                        "backlog time 30 s <= 120 s and CPU 0.5 <= 0.9; no scale-down: backlog growing by 5/s and backlog time 30 s >= 10 s"),
                new Case("backlog-drain hold_insufficient_signals", "backlog-drain", sig(10, N, 0, 0.5, N, 5, 30), ReasonCode.HOLD_INSUFFICIENT_SIGNALS, 10,
                        "throughput is 0: a job processing nothing is down or restarting, so no size can be computed"),
                new Case("lag-threshold hold_in_range", "lag-threshold", sig(3, N, N, N, 25000, N, N), ReasonCode.HOLD_IN_RANGE, 3,
                        "backlog 25000 / 10000 per worker = 2.5, so 3 workers, as now"),
                new Case("lag-threshold hold_insufficient_signals", "lag-threshold", sig(3, N, N, N, N, N, N), ReasonCode.HOLD_INSUFFICIENT_SIGNALS, 3,
                        "backlog is missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersTheSameSentenceAsBefore(Case c) {
        ScalingPolicy policy = PolicyRegistry.builtIn().get(c.policy())
                .create(ConfigFactory.defaultReference().getConfig("flinkfleet.policies." + c.policy()));
        Recommendation r = policy.recommend(c.signals());
        assertEquals(c.reason(), r.reason());
        assertEquals(c.target(), r.targetWorkers());
        assertEquals(c.text(), r.explanation());
        assertEquals(c.text(), r.explanation(), "rendering twice says the same");
    }
}

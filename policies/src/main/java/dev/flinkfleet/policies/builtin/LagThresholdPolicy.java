package dev.flinkfleet.policies.builtin;

import static dev.flinkfleet.policies.builtin.Numbers.fmt;

import java.util.Set;

import dev.flinkfleet.policies.Explanation;
import dev.flinkfleet.policies.Inputs;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/**
 * Workers = ceil(total lag ÷ lag per worker), at least 1, the rule of KEDA's Kafka scaler. Ignores throughput
 * and CPU, so it is a baseline to compare the other policies against. Built by {@link LagThresholdFactory}.
 *
 * @param lagPerWorker consumer lag one worker is expected to carry
 */
public record LagThresholdPolicy(double lagPerWorker) implements ScalingPolicy {

    public static final String NAME = "lag-threshold";

    private static final Set<SignalKind> REQUIRED = Set.of(SignalKind.BACKLOG);

    private static final Explanation BACKLOG_MISSING = Explanation.of("backlog is missing");

    public LagThresholdPolicy {
        if (!(lagPerWorker > 0) || Double.isInfinite(lagPerWorker)) {
            throw new IllegalArgumentException("lag per worker must be finite and > 0, got " + lagPerWorker);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<SignalKind> requiredSignals() {
        return REQUIRED;
    }

    @Override
    public Recommendation recommend(Signals s) {
        int current = s.currentWorkers();
        Inputs in = new Inputs(4);
        in.put("current-workers", current);
        if (s.backlog().isMissing()) {
            return Recommendation.hold(current, ReasonCode.HOLD_INSUFFICIENT_SIGNALS, BACKLOG_MISSING, in);
        }
        double backlog = s.backlog().value();
        in.put("backlog", backlog);
        in.put("lag-per-worker", lagPerWorker);
        int target = Numbers.ceilWorkers(backlog / lagPerWorker);
        Explanation why = () -> "backlog " + fmt(backlog) + " / " + fmt(lagPerWorker) + " per worker = "
                + fmt(backlog / lagPerWorker) + ", so " + target + " worker" + (target == 1 ? "" : "s");
        if (target > current) {
            return new Recommendation(target, ReasonCode.SCALE_UP_LAG, why, in);
        }
        if (target < current) {
            return new Recommendation(target, ReasonCode.SCALE_DOWN_LAG, why, in);
        }
        return Recommendation.hold(current, ReasonCode.HOLD_IN_RANGE, () -> why.render() + ", as now", in);
    }
}

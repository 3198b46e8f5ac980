package dev.flinkfleet.policies.builtin;

import com.typesafe.config.Config;

import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.ScalingPolicyFactory;
import dev.flinkfleet.policies.config.Settings;

/** Builds {@link LagThresholdPolicy} from {@code flinkfleet.policies.lag-threshold}. */
public final class LagThresholdFactory implements ScalingPolicyFactory {

    @Override
    public String name() {
        return LagThresholdPolicy.NAME;
    }

    @Override
    public String description() {
        return "Workers = ceil(consumer lag / lag-per-worker), as KEDA's Kafka scaler does.";
    }

    @Override
    public ScalingPolicy create(Config params) {
        return new LagThresholdPolicy(Settings.doubleAtLeast(params, "lag-per-worker", 1, true));
    }
}

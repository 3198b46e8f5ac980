package dev.flinkfleet.autoscaler.cli;

import java.util.Map;
import java.util.Set;

import com.typesafe.config.Config;

import dev.flinkfleet.policies.config.Settings;

import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.ScalingPolicyFactory;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/** Test-only policy "test-fixed": always recommends {@code workers}; validates like a real factory. */
public final class FixedTestPolicyFactory implements ScalingPolicyFactory {

    @Override
    public String name() {
        return "test-fixed";
    }

    @Override
    public String description() {
        return "Test policy: a fixed worker count.";
    }

    @Override
    public ScalingPolicy create(Config params) {
        int workers = Settings.intAtLeast(params, "workers", 1);
        return new ScalingPolicy() {
            @Override
            public String name() {
                return "test-fixed";
            }

            @Override
            public Set<SignalKind> requiredSignals() {
                return Set.of();
            }

            @Override
            public Recommendation recommend(Signals signals) {
                return new Recommendation(workers, ReasonCode.STATIC, "fixed at " + workers, Map.of());
            }
        };
    }
}

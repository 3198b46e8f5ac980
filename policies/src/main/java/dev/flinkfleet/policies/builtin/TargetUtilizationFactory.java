package dev.flinkfleet.policies.builtin;

import java.time.Duration;

import com.typesafe.config.Config;

import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.ScalingPolicyFactory;
import dev.flinkfleet.policies.config.Settings;

/** Builds {@link TargetUtilizationPolicy} from {@code flinkfleet.policies.target-utilization}. */
public final class TargetUtilizationFactory implements ScalingPolicyFactory {

    @Override
    public String name() {
        return TargetUtilizationPolicy.NAME;
    }

    @Override
    public String description() {
        return "Size to the true per-worker processing rate at a utilisation target, with capacity to catch up on backlog (Flink operator autoscaler style).";
    }

    @Override
    public ScalingPolicy create(Config params) {
        double target = Settings.fraction(params, "target-utilization", false);
        double boundary = Settings.fraction(params, "utilization-boundary", true);
        Duration catchUp = Settings.duration(params, "catch-up-duration", false);
        Duration restart = Settings.duration(params, "restart-time", true);
        // The lower edge of the band must stay above 0, or a job could never be scaled down.
        if (boundary >= target) {
            throw Settings.bad(params, "utilization-boundary", "must be below target-utilization (" + target + "), got " + boundary);
        }
        return new TargetUtilizationPolicy(target, boundary, catchUp, restart);
    }
}

package dev.flinkfleet.policies.builtin;

import java.time.Duration;

import com.typesafe.config.Config;

import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.ScalingPolicyFactory;
import dev.flinkfleet.policies.config.SettingsCollector;

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
        SettingsCollector r = new SettingsCollector(params);
        double target = r.fraction("target-utilization", false);
        double boundary = r.fraction("utilization-boundary", true);
        Duration catchUp = r.duration("catch-up-duration", false);
        Duration restart = r.duration("restart-time", true);
        // The lower edge of the band must stay above 0, or a job could never be scaled down.
        if (boundary >= target) {
            r.fail("utilization-boundary", "must be below target-utilization (" + target + "), got " + boundary);
        }
        r.throwIfAny();
        return new TargetUtilizationPolicy(target, boundary, catchUp, restart);
    }
}

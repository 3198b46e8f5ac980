package dev.flinkfleet.policies.builtin;

import com.typesafe.config.Config;

import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.ScalingPolicyFactory;
import dev.flinkfleet.policies.config.Settings;

/** Builds {@link StaticPolicy} from {@code flinkfleet.policies.static}. */
public final class StaticFactory implements ScalingPolicyFactory {

    @Override
    public String name() {
        return StaticPolicy.NAME;
    }

    @Override
    public String description() {
        return "A fixed worker count, whatever the signals.";
    }

    @Override
    public ScalingPolicy create(Config params) {
        return new StaticPolicy(Settings.intAtLeast(params, "workers", 1));
    }
}

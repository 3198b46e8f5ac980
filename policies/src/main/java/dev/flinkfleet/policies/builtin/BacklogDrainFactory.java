package dev.flinkfleet.policies.builtin;

import java.time.Duration;

import com.typesafe.config.Config;

import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.ScalingPolicyFactory;
import dev.flinkfleet.policies.config.Settings;

/** Builds {@link BacklogDrainPolicy} from {@code flinkfleet.policies.backlog-drain}. */
public final class BacklogDrainFactory implements ScalingPolicyFactory {

    @Override
    public String name() {
        return BacklogDrainPolicy.NAME;
    }

    @Override
    public String description() {
        return "Scale up on high backlog time or CPU to keep up and drain the backlog; scale down on low CPU while the backlog is small and not growing.";
    }

    @Override
    public ScalingPolicy create(Config params) {
        Duration upBacklogTime = Settings.duration(params, "scale-up-backlog-time", false);
        double upCpu = Settings.fraction(params, "scale-up-cpu", false);
        Duration timeToDrain = Settings.duration(params, "time-to-drain", false);
        double downCpu = Settings.fraction(params, "scale-down-cpu", true);
        Duration downBacklogTime = Settings.duration(params, "scale-down-backlog-time", true);
        double targetCpu = Settings.fraction(params, "target-cpu", false);
        // Overlapping thresholds would let one cycle's numbers mean both "too small" and "too big": flapping.
        if (downCpu >= upCpu) {
            throw Settings.bad(params, "scale-down-cpu", "must be below scale-up-cpu (" + upCpu + "), got " + downCpu);
        }
        if (downBacklogTime.compareTo(upBacklogTime) >= 0) {
            throw Settings.bad(params, "scale-down-backlog-time",
                    "must be below scale-up-backlog-time (" + upBacklogTime + "), got " + downBacklogTime);
        }
        return new BacklogDrainPolicy(upBacklogTime, upCpu, timeToDrain, downCpu, downBacklogTime, targetCpu);
    }
}

package dev.flinkfleet.policies.builtin;

import java.time.Duration;

import com.typesafe.config.Config;

import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.ScalingPolicyFactory;
import dev.flinkfleet.policies.config.SettingsCollector;

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
        SettingsCollector r = new SettingsCollector(params);
        Duration upBacklogTime = r.duration("scale-up-backlog-time", false);
        double upCpu = r.fraction("scale-up-cpu", false);
        Duration timeToDrain = r.duration("time-to-drain", false);
        double downCpu = r.fraction("scale-down-cpu", true);
        Duration downBacklogTime = r.duration("scale-down-backlog-time", true);
        double targetCpu = r.fraction("target-cpu", false);
        // Overlapping thresholds would let one cycle's numbers mean both "too small" and "too big": flapping.
        if (downCpu >= upCpu) {
            r.fail("scale-down-cpu", "must be below scale-up-cpu (" + upCpu + "), got " + downCpu);
        }
        if (downBacklogTime != null && upBacklogTime != null && downBacklogTime.compareTo(upBacklogTime) >= 0) {
            r.fail("scale-down-backlog-time", "must be below scale-up-backlog-time (" + upBacklogTime + "), got " + downBacklogTime);
        }
        r.throwIfAny();
        return new BacklogDrainPolicy(upBacklogTime, upCpu, timeToDrain, downCpu, downBacklogTime, targetCpu);
    }
}

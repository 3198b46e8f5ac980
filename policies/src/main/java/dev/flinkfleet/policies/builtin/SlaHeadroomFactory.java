package dev.flinkfleet.policies.builtin;

import java.time.Duration;

import com.typesafe.config.Config;

import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.ScalingPolicyFactory;
import dev.flinkfleet.policies.config.SettingsCollector;

/** Builds {@link SlaHeadroomPolicy} from {@code flinkfleet.policies.sla-headroom}. */
public final class SlaHeadroomFactory implements ScalingPolicyFactory {

    @Override
    public String name() {
        return SlaHeadroomPolicy.NAME;
    }

    @Override
    public String description() {
        return "Rescale rarely and in one step: size to the input at a utilisation target plus the backlog a restart "
                + "creates, so latency stays within the SLA; shrink only for a worthwhile saving.";
    }

    @Override
    public ScalingPolicy create(Config params) {
        SettingsCollector r = new SettingsCollector(params);
        double target = r.fraction("target-utilization", false);
        double up = r.fraction("scale-up-utilization", false);
        double saving = r.fraction("min-scale-down-saving", true);
        Duration sla = r.duration("sla-latency", false);
        Duration restart = r.duration("restart-time", true);
        Duration checkpoint = r.duration("checkpoint-interval", true);
        Duration margin = r.duration("safety-margin", true);
        // Sizing at or above the trigger would rescale again as soon as the input moves.
        if (up <= target) {
            r.fail("scale-up-utilization", "must be above target-utilization (" + target + "), got " + up);
        }
        if (saving >= 1) {
            r.fail("min-scale-down-saving", "must be below 1 (1 would forbid every scale-down), got " + saving);
        }
        // The latency left for backlog once a restart and the margin are paid must be positive.
        if (sla != null && restart != null && margin != null
                && Numbers.seconds(sla) <= Numbers.seconds(restart) + Numbers.seconds(margin)) {
            r.fail("sla-latency", "must exceed restart-time + safety-margin ("
                    + restart.plus(margin).toSeconds() + "s), got " + sla.toSeconds() + "s");
        }
        r.throwIfAny();
        return new SlaHeadroomPolicy(target, up, saving, sla, restart, checkpoint, margin);
    }
}

package dev.flinkfleet.policies.builtin;

import java.time.Duration;

import com.typesafe.config.Config;

import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.ScalingPolicyFactory;
import dev.flinkfleet.policies.config.Settings;

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
        double target = Settings.fraction(params, "target-utilization", false);
        double up = Settings.fraction(params, "scale-up-utilization", false);
        double saving = Settings.fraction(params, "min-scale-down-saving", true);
        Duration sla = Settings.duration(params, "sla-latency", false);
        Duration restart = Settings.duration(params, "restart-time", true);
        Duration checkpoint = Settings.duration(params, "checkpoint-interval", true);
        Duration margin = Settings.duration(params, "safety-margin", true);
        // Sizing at or above the trigger would rescale again as soon as the input moves.
        if (up <= target) {
            throw Settings.bad(params, "scale-up-utilization", "must be above target-utilization (" + target + "), got " + up);
        }
        if (saving >= 1) {
            throw Settings.bad(params, "min-scale-down-saving", "must be below 1 (1 would forbid every scale-down), got " + saving);
        }
        // The latency left for backlog once a restart and the margin are paid must be positive.
        if (Numbers.seconds(sla) <= Numbers.seconds(restart) + Numbers.seconds(margin)) {
            throw Settings.bad(params, "sla-latency", "must exceed restart-time + safety-margin ("
                    + restart.plus(margin).toSeconds() + "s), got " + sla.toSeconds() + "s");
        }
        return new SlaHeadroomPolicy(target, up, saving, sla, restart, checkpoint, margin);
    }
}

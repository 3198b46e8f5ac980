package dev.flinkfleet.policies.builtin;

import java.time.Duration;

import com.typesafe.config.Config;

import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.ScalingPolicyFactory;
import dev.flinkfleet.policies.config.SettingsCollector;

/** Builds {@link PredictivePolicy} from {@code flinkfleet.policies.predictive}. */
public final class PredictiveFactory implements ScalingPolicyFactory {

    @Override
    public String name() {
        return PredictivePolicy.NAME;
    }

    @Override
    public String description() {
        return "Size for the input the job's learned daily and weekly shape says is coming, absorb bursts in the SLA's "
                + "latency buffer, and scale down only when the smaller size lasts long enough to repay its restart.";
    }

    @Override
    public ScalingPolicy create(Config params) {
        SettingsCollector r = new SettingsCollector(params);
        Duration sla = r.duration("sla-latency", false);
        Duration restart = r.duration("restart-time", true);
        Duration checkpoint = r.duration("checkpoint-interval", true);
        Duration delay = r.duration("metrics-delay", true);
        Duration interval = r.duration("control-interval", false);
        // The latency left for backlog once a restart and one late decision are paid must be positive.
        if (sla != null && restart != null && interval != null
                && Numbers.seconds(sla) <= Numbers.seconds(restart) + Numbers.seconds(interval)) {
            r.fail("sla-latency", "must exceed restart-time + control-interval ("
                    + restart.plus(interval).toSeconds() + "s), got " + sla.toSeconds() + "s");
        }
        r.throwIfAny();
        return new PredictivePolicy(sla, restart, checkpoint, delay, interval);
    }
}

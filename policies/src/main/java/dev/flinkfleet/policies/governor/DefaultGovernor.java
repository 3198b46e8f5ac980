package dev.flinkfleet.policies.governor;

import java.time.Instant;
import java.util.List;

import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.Governor;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.Signals;

/** TEMPORARY STUB so config-cli compiles before the governor branch lands; the governor branch's file wins. */
public final class DefaultGovernor implements Governor {

    private final GovernorConfig config;

    public DefaultGovernor(GovernorConfig config) {
        this.config = config;
    }

    @Override
    public Decision decide(Signals s, Recommendation r, ScalingPolicy p, GovernorState state, Instant now) {
        int t = Math.max(config.minWorkers(), Math.min(config.maxWorkers(), r.targetWorkers()));
        return new Decision(s.job(), now, s.currentWorkers(), t, r, r.reason(), List.of(), s.worstQuality(p.requiredSignals()), state);
    }
}

package dev.flinkfleet.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.Governor;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/** Hand-written fakes for replays whose outcome is computed by hand. */
public final class Fakes {

    private Fakes() {
    }

    /** Scales up to the fewest workers of {@code perWorker} ev/s that carry the input rate; never scales down. */
    public record FitInputPolicy(double perWorker) implements ScalingPolicy {
        @Override
        public String name() {
            return "fit-input";
        }

        @Override
        public Set<SignalKind> requiredSignals() {
            return Set.of(SignalKind.INPUT_RATE);
        }

        @Override
        public Recommendation recommend(Signals s) {
            if (s.inputRate().isMissing()) {
                return Recommendation.hold(s.currentWorkers(), ReasonCode.HOLD_INSUFFICIENT_SIGNALS, "no input rate", Map.of());
            }
            int need = (int) Math.ceil(s.inputRate().value() / perWorker - 1e-9);
            if (need > s.currentWorkers()) {
                return new Recommendation(need, ReasonCode.SCALE_UP_UTILIZATION, "input needs " + need, Map.of("input", s.inputRate().value()));
            }
            return Recommendation.hold(s.currentWorkers(), ReasonCode.HOLD_IN_RANGE, "fits", Map.of());
        }
    }

    /** Applies the recommendation unchanged. */
    public static final class PassThroughGovernor implements Governor {
        @Override
        public Decision decide(Signals s, Recommendation r, ScalingPolicy p, GovernorState state, Instant now) {
            return new Decision(s.job(), now, s.currentWorkers(), r.targetWorkers(), r, r.reason(), List.of(), Quality.FRESH, state);
        }
    }

    /** Loads every spec as the fit-input policy; enough for CLI plumbing tests before policy files exist. */
    public static PolicyLoader fitInputLoader(double perWorker) {
        return new PolicyLoader() {
            @Override
            public Strategy load(String spec, Map<String, String> overrides, String label) {
                return new PolicyStrategy(label != null ? label : spec, new FitInputPolicy(perWorker), new PassThroughGovernor());
            }

            @Override
            public Strategy defaults(String policyName) {
                return new PolicyStrategy(policyName, new FitInputPolicy(perWorker), new PassThroughGovernor());
            }
        };
    }
}

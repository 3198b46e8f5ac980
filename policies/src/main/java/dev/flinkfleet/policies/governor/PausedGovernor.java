package dev.flinkfleet.policies.governor;

import java.time.Instant;
import java.util.Objects;

import dev.flinkfleet.policies.Adjustment;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.Governor;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.Signals;

/**
 * The governor of a paused job (the daemon's annotation {@code flinkfleet.dev/paused}; a replay's
 * {@code fleet.paused-traces}): decides as usual (so /jobs and logs show what would happen, and the
 * recommendation history keeps growing for when the pause ends), then holds at the current size with
 * {@link ReasonCode#HOLD_PAUSED}. The loop never calls the actuator for it. Pure.
 */
public final class PausedGovernor implements Governor {

    private final Governor delegate;

    public PausedGovernor(Governor delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public Decision decide(Signals signals, Recommendation recommendation, ScalingPolicy policy, GovernorState state, Instant now) {
        Decision d = delegate.decide(signals, recommendation, policy, state, now);
        // Rendered only where shown: a paused job holds every cycle.
        return d.heldAs(ReasonCode.HOLD_PAUSED, !d.changes() ? null : new Adjustment(ReasonCode.HOLD_PAUSED, d.targetWorkers(), d.currentWorkers(),
                () -> "autoscaling paused by annotation flinkfleet.dev/paused; would have gone to " + d.targetWorkers() + " (" + d.reason() + ")"));
    }
}

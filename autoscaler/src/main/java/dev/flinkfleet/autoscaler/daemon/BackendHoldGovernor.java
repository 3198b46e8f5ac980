package dev.flinkfleet.autoscaler.daemon;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

import dev.flinkfleet.policies.Adjustment;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.Governor;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.Signals;

/**
 * The governor of a job while a backend it reads from is down: decides as usual, then holds anything but a
 * scale-up with {@link ReasonCode#HOLD_BACKEND_UNAVAILABLE} naming the backend and its error, so {@code /jobs}
 * says why the job is not being scaled, and no scale-down is ever made on data a failed backend left missing.
 * A scale-up stays allowed, as the governor allows one on stale signals, and a policy that needs no signals is
 * left alone. Pure apart from the lookup of this
 * cycle's unavailable backends.
 */
final class BackendHoldGovernor implements Governor {

    private final Governor delegate;
    private final Function<JobRef, String> unavailable;

    /** @param unavailable why the job's backend is down this cycle, or null when all are up */
    BackendHoldGovernor(Governor delegate, Function<JobRef, String> unavailable) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.unavailable = Objects.requireNonNull(unavailable, "unavailable");
    }

    @Override
    public Decision decide(Signals signals, Recommendation recommendation, ScalingPolicy policy, GovernorState state, Instant now) {
        Decision d = delegate.decide(signals, recommendation, policy, state, now);
        String why = unavailable.apply(d.job());
        // A policy that reads no signals (static) decides nothing from a backend, so a backend cannot mislead it.
        if (why == null || d.scalesUp() || d.reason() == ReasonCode.HOLD_PAUSED || policy.requiredSignals().isEmpty()) {
            return d;
        }
        return d.heldAs(ReasonCode.HOLD_BACKEND_UNAVAILABLE, new Adjustment(ReasonCode.HOLD_BACKEND_UNAVAILABLE, d.targetWorkers(), d.currentWorkers(),
                () -> why + (d.changes() ? "; would have gone to " + d.targetWorkers() + " (" + d.reason() + ")" : "; without it: " + d.reason())));
    }
}

package dev.flinkfleet.policies;

import java.time.Instant;

/**
 * Turns a policy's recommendation into a decision: bounds, step limits, tolerance, cooldowns, stabilisation,
 * and the rule that stale or missing signals never cause a scale-down. Pure: time comes in as {@code now}.
 */
public interface Governor {

    Decision decide(Signals signals, Recommendation recommendation, ScalingPolicy policy, GovernorState state, Instant now);
}

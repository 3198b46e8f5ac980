/**
 * The built-in scaling policies, registered through {@link java.util.ServiceLoader}: {@code backlog-drain},
 * {@code target-utilization}, {@code lag-threshold}, {@code sla-headroom} and
 * {@code static}. Each is a factory that validates its
 * parameters plus an immutable, pure policy. Shared rule: a missing signal may be ignored only when the answer
 * is a scale-up anyway (the missing value could only have made the target larger); every other case with
 * missing data is a {@link dev.flinkfleet.policies.ReasonCode#HOLD_INSUFFICIENT_SIGNALS} hold.
 */
package dev.flinkfleet.policies.builtin;

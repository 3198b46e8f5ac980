package dev.flinkfleet.autoscaler.kubernetes;

import java.util.Objects;
import java.util.Set;

import dev.flinkfleet.policies.ReasonCode;

/**
 * Is a FlinkDeployment in a state where patching its size is safe? Only when the operator has finished with the
 * current spec (reconciled, observed this generation) and the job runs: patching mid-upgrade or mid-restart
 * stacks a second upgrade on the first, and a generation the operator has not observed means someone else's
 * change is still in flight. Pure.
 */
public final class SafetyCheck {

    private static final Set<String> SAFE_LIFECYCLE = Set.of("STABLE", "DEPLOYED");

    /** The verdict; {@code reason} and {@code detail} are null when safe. */
    public record Verdict(boolean safe, ReasonCode reason, String detail) {
        static final Verdict SAFE = new Verdict(true, null, null);

        static Verdict unsafe(String detail) {
            return new Verdict(false, ReasonCode.HOLD_UNSAFE_STATE, detail);
        }
    }

    private SafetyCheck() {
    }

    public static Verdict check(FlinkDeploymentView v) {
        Objects.requireNonNull(v, "view");
        if (v.lifecycleState() == null || !SAFE_LIFECYCLE.contains(v.lifecycleState())) {
            return Verdict.unsafe("lifecycle state is " + v.lifecycleState() + ", need STABLE or DEPLOYED");
        }
        if (!"DEPLOYED".equals(v.reconciliationState())) {
            return Verdict.unsafe("reconciliation state is " + v.reconciliationState() + ", need DEPLOYED");
        }
        if (!"RUNNING".equals(v.jobState())) {
            return Verdict.unsafe("job state is " + v.jobState() + ", need RUNNING");
        }
        if (v.generation() == null || !v.generation().equals(v.observedGeneration())) {
            return Verdict.unsafe("operator has observed generation " + v.observedGeneration() + " of " + v.generation()
                    + "; a spec change is still being reconciled");
        }
        return Verdict.SAFE;
    }
}

package dev.flinkfleet.autoscaler.daemon;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import dev.flinkfleet.autoscaler.kubernetes.ActuationMode;
import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;

/**
 * Hands each decision to the actuator of the job's own {@link ActuationMode} (applications may differ), the
 * mode {@link JobBinder} read the job's current size with.
 */
final class PerJobModeActuator implements Actuator {

    private final Map<ActuationMode, Actuator> byMode;
    private final Function<JobRef, ActuationMode> modeOf;

    PerJobModeActuator(Function<ActuationMode, Actuator> factory, Function<JobRef, ActuationMode> modeOf) {
        this.byMode = new EnumMap<>(ActuationMode.class);
        for (ActuationMode m : ActuationMode.values()) {
            byMode.put(m, Objects.requireNonNull(factory.apply(m), "actuator for " + m));
        }
        this.modeOf = Objects.requireNonNull(modeOf, "modeOf");
    }

    @Override
    public Result apply(Decision decision) throws Exception {
        ActuationMode mode = modeOf.apply(decision.job());
        if (mode == null) {
            return Result.skipped(ReasonCode.HOLD_ERROR, "job is no longer bound to an application");
        }
        return byMode.get(mode).apply(decision);
    }
}

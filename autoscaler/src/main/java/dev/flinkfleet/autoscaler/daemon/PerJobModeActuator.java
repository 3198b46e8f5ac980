package dev.flinkfleet.autoscaler.daemon;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import dev.flinkfleet.policies.ActuationMode;
import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.JobPlan;
import dev.flinkfleet.policies.ReasonCode;

/**
 * Hands each decision to the actuator of the job's own {@link ActuationMode} (applications may differ): the
 * mode its plan carries, which {@link JobBinder} read the job's current size with.
 */
final class PerJobModeActuator implements Actuator {

    private final Map<ActuationMode, Actuator> byMode;
    PerJobModeActuator(Function<ActuationMode, Actuator> factory) {
        this.byMode = new EnumMap<>(ActuationMode.class);
        for (ActuationMode m : ActuationMode.values()) {
            byMode.put(m, Objects.requireNonNull(factory.apply(m), "actuator for " + m));
        }
    }

    @Override
    public Result apply(Decision decision) {
        return Result.skipped(ReasonCode.HOLD_ERROR, "job is not bound to an application");
    }

    @Override
    public Result apply(JobPlan plan, Decision decision) throws Exception {
        ActuationMode mode = plan.mode();
        if (mode == null) {
            return apply(decision);
        }
        return byMode.get(mode).apply(decision);
    }
}

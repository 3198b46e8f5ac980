package dev.flinkfleet.autoscaler.kubernetes;

import java.util.List;
import java.util.Objects;

import dev.flinkfleet.policies.ActuationMode;

/**
 * How {@link FlinkDeploymentActuator} changes a job's size.
 *
 * @param mode                       which field carries the size
 * @param vertexIds                  job vertex ids for {@link ActuationMode#VERTEX_OVERRIDES}; empty = those in
 *                                   the current value
 * @param takeOverOperatorAutoscaler when a job has the operator's own autoscaler on: false holds the job (two
 *                                   autoscalers fighting over one job is worse than none); true switches it off
 *                                   in the same patch that rescales
 * @param dryRun                     decide and log, patch nothing
 */
public record ActuatorSettings(ActuationMode mode, List<String> vertexIds, boolean takeOverOperatorAutoscaler, boolean dryRun) {

    public ActuatorSettings {
        Objects.requireNonNull(mode, "mode");
        vertexIds = List.copyOf(vertexIds);
    }

    /** Replicas mode, no take-over, not a dry run. */
    public static ActuatorSettings defaults() {
        return new ActuatorSettings(ActuationMode.TASKMANAGER_REPLICAS, List.of(), false, false);
    }

    public ActuatorSettings withMode(ActuationMode m) {
        return new ActuatorSettings(m, vertexIds, takeOverOperatorAutoscaler, dryRun);
    }

    public ActuatorSettings withVertexIds(List<String> ids) {
        return new ActuatorSettings(mode, ids, takeOverOperatorAutoscaler, dryRun);
    }

    public ActuatorSettings withTakeOver(boolean takeOver) {
        return new ActuatorSettings(mode, vertexIds, takeOver, dryRun);
    }

    public ActuatorSettings withDryRun(boolean dry) {
        return new ActuatorSettings(mode, vertexIds, takeOverOperatorAutoscaler, dry);
    }
}

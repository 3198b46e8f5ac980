package dev.flinkfleet.policies;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which field of a FlinkDeployment carries a job's size (or, for {@link #FLINK_REST}, that the job is resized
 * through Flink's REST API instead), as policy files and the daemon config name it
 * ({@code actuation.mode}, {@code flinkfleet.kubernetes.actuator.mode}). A "worker" is one TaskManager; the
 * parallelism modes translate workers to parallelism as workers × slots per TaskManager. The daemon reads and
 * patches the field (autoscaler's {@code ModeFields}); here it is only a name, so the engine stays free of
 * Kubernetes.
 */
public enum ActuationMode {
    /** {@code spec.taskManager.replicas}, what {@code kubectl scale flinkdeployment} changes (reactive mode). */
    TASKMANAGER_REPLICAS,
    /** {@code spec.job.parallelism = workers × slots}; the operator upgrades the job (savepoint and restart). */
    JOB_PARALLELISM,
    /** {@code pipeline.jobvertex-parallelism-overrides} for every known vertex; rescaled in place by the adaptive scheduler. */
    VERTEX_OVERRIDES,
    /**
     * Not a FlinkDeployment field: a job on a standalone or session cluster (adaptive scheduler), found through
     * Flink's REST API and resized with {@code PUT /jobs/:jobid/resource-requirements}; a worker is one unit of
     * parallelism.
     */
    FLINK_REST;

    /** True for the modes that patch a FlinkDeployment (all but {@link #FLINK_REST}). */
    public boolean patchesFlinkDeployment() {
        return this != FLINK_REST;
    }

    /** The name in config files: {@code taskmanager-replicas}, {@code job-parallelism}, {@code vertex-overrides}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Every config name, in declaration order. */
    public static List<String> configNames() {
        return Arrays.stream(values()).map(ActuationMode::configName).toList();
    }

    /**
     * The mode a config file names.
     *
     * @throws IllegalArgumentException listing the modes when {@code name} is none of them (callers add file:line)
     */
    public static ActuationMode parse(String name) {
        for (ActuationMode m : values()) {
            if (m.configName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not an actuation mode; use one of " + String.join(", ", configNames()));
    }
}

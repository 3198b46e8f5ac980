package dev.flinkfleet.autoscaler.kubernetes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.flinkfleet.policies.ActuationMode;

/**
 * The FlinkDeployment field each {@link ActuationMode} carries a job's size in: how to read it and how to patch
 * it. A "worker" is one TaskManager; the parallelism modes translate workers to parallelism as workers × slots
 * per TaskManager. Pure.
 */
public final class ModeFields {

    private ModeFields() {
    }

    /**
     * The job's size in workers as this mode sees it, or null when the deployment does not say.
     *
     * @throws IllegalArgumentException naming the job when a value is malformed
     */
    public static Integer currentWorkers(ActuationMode mode, FlinkDeploymentView v) {
        return switch (mode) {
            case TASKMANAGER_REPLICAS -> v.taskManagerReplicas();
            case JOB_PARALLELISM -> v.jobParallelism() == null ? null : workersFor(v.jobParallelism(), v.taskSlots());
            case VERTEX_OVERRIDES -> {
                Map<String, Integer> overrides = parseOverrides(v);
                if (!overrides.isEmpty()) {
                    int max = overrides.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
                    yield workersFor(max, v.taskSlots());
                }
                yield v.jobParallelism() == null ? null : workersFor(v.jobParallelism(), v.taskSlots());
            }
            case FLINK_REST -> throw notADeploymentMode(v);
        };
    }

    /**
     * The {@code spec} fragment of a JSON merge patch that sets the size to {@code workers}.
     *
     * @param vertexIds configured vertex ids for {@link ActuationMode#VERTEX_OVERRIDES}; when empty, the ids in the current value
     * @throws IllegalArgumentException naming the job when the patch cannot be built (e.g. no vertex ids known)
     */
    public static Map<String, Object> specPatch(ActuationMode mode, FlinkDeploymentView v, int workers, List<String> vertexIds) {
        Map<String, Object> spec = new LinkedHashMap<>();
        switch (mode) {
            case TASKMANAGER_REPLICAS -> spec.put("taskManager", Map.of("replicas", workers));
            case JOB_PARALLELISM -> spec.put("job", Map.of("parallelism", Math.multiplyExact(workers, v.taskSlots())));
            case VERTEX_OVERRIDES -> {
                List<String> ids = new ArrayList<>(vertexIds);
                if (ids.isEmpty()) {
                    ids.addAll(parseOverrides(v).keySet());
                }
                if (ids.isEmpty()) {
                    throw new IllegalArgumentException(v.job() + ": no job vertex ids known for " + FlinkDeployments.CONF_VERTEX_OVERRIDES
                            + " (none in the current value and none configured)");
                }
                int parallelism = Math.multiplyExact(workers, v.taskSlots());
                StringBuilder sb = new StringBuilder();
                for (String id : ids) {
                    if (sb.length() > 0) {
                        sb.append(',');
                    }
                    sb.append(id).append(':').append(parallelism);
                }
                Map<String, Object> conf = new LinkedHashMap<>();
                conf.put(FlinkDeployments.CONF_VERTEX_OVERRIDES, sb.toString());
                spec.put("flinkConfiguration", conf);
            }
            case FLINK_REST -> throw notADeploymentMode(v);
        }
        return spec;
    }

    /** The field this mode patches, for logs and events. */
    public static String field(ActuationMode mode) {
        return switch (mode) {
            case TASKMANAGER_REPLICAS -> "spec.taskManager.replicas";
            case JOB_PARALLELISM -> "spec.job.parallelism";
            case VERTEX_OVERRIDES -> "spec.flinkConfiguration[" + FlinkDeployments.CONF_VERTEX_OVERRIDES + "]";
            case FLINK_REST -> "resource requirements (Flink REST API)";
        };
    }

    private static IllegalArgumentException notADeploymentMode(FlinkDeploymentView v) {
        return new IllegalArgumentException(v.job() + ": actuation mode " + ActuationMode.FLINK_REST.configName()
                + " governs jobs found on flinkfleet.flink-rest.clusters, not FlinkDeployments; use "
                + "taskmanager-replicas, job-parallelism or vertex-overrides for this job's application");
    }

    /** Parses {@code id:parallelism,...}; empty when unset. Throws naming the job when malformed. */
    static Map<String, Integer> parseOverrides(FlinkDeploymentView v) {
        String raw = v.flinkConfiguration().get(FlinkDeployments.CONF_VERTEX_OVERRIDES);
        Map<String, Integer> out = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return out;
        }
        for (String part : raw.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int colon = p.lastIndexOf(':');
            try {
                if (colon <= 0) {
                    throw new NumberFormatException("no ':'");
                }
                int par = Integer.parseInt(p.substring(colon + 1).trim());
                if (par < 1) {
                    throw new NumberFormatException("parallelism < 1");
                }
                out.put(p.substring(0, colon).trim(), par);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(v.job() + ": " + FlinkDeployments.CONF_VERTEX_OVERRIDES + ": bad entry '" + p + "' (" + e.getMessage() + ")", e);
            }
        }
        return out;
    }

    private static int workersFor(int parallelism, int slots) {
        return Math.max(1, (parallelism + slots - 1) / slots);
    }
}

package dev.flinkfleet.autoscaler.kubernetes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which field of a FlinkDeployment carries the job's size. A "worker" is one TaskManager; the parallelism
 * modes translate workers to parallelism as workers × slots per TaskManager.
 */
public enum ActuationMode {
    /**
     * {@code spec.taskManager.replicas}: what {@code kubectl scale flinkdeployment} changes (the CRD's scale
     * subresource points here). Meant for reactive mode, where the job takes all the slots it is given.
     */
    TASKMANAGER_REPLICAS,
    /** {@code spec.job.parallelism = workers × slots}; the operator upgrades the job (savepoint and restart). */
    JOB_PARALLELISM,
    /**
     * {@code spec.flinkConfiguration["pipeline.jobvertex-parallelism-overrides"] = "vertexId:parallelism,..."}
     * for every known vertex; with the adaptive scheduler the operator rescales in place, without a restart
     * from savepoint.
     */
    VERTEX_OVERRIDES;

    /**
     * The job's size in workers as this mode sees it, or null when the deployment does not say.
     *
     * @throws IllegalArgumentException naming the job when a value is malformed
     */
    public Integer currentWorkers(FlinkDeploymentView v) {
        return switch (this) {
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
        };
    }

    /**
     * The {@code spec} fragment of a JSON merge patch that sets the size to {@code workers}.
     *
     * @param vertexIds configured vertex ids for {@link #VERTEX_OVERRIDES}; when empty, the ids in the current value
     * @throws IllegalArgumentException naming the job when the patch cannot be built (e.g. no vertex ids known)
     */
    public Map<String, Object> specPatch(FlinkDeploymentView v, int workers, List<String> vertexIds) {
        Map<String, Object> spec = new LinkedHashMap<>();
        switch (this) {
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
        }
        return spec;
    }

    /** The field this mode patches, for logs and events. */
    public String field() {
        return switch (this) {
            case TASKMANAGER_REPLICAS -> "spec.taskManager.replicas";
            case JOB_PARALLELISM -> "spec.job.parallelism";
            case VERTEX_OVERRIDES -> "spec.flinkConfiguration[" + FlinkDeployments.CONF_VERTEX_OVERRIDES + "]";
        };
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

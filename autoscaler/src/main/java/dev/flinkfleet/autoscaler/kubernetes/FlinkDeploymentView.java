package dev.flinkfleet.autoscaler.kubernetes;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.flinkfleet.policies.JobRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * What the daemon needs from one FlinkDeployment, read once from the generic resource so the rest of the code
 * never walks untyped maps. Pure; absent fields are null (never guessed). Compact: of the annotations only the
 * daemon's own ({@code flinkfleet.dev/...}) are kept, and of spec.flinkConfiguration only the keys the daemon
 * reads ({@link #READ_CONFIGURATION}); a 30,000-job fleet's views are what the informer leaves in memory.
 *
 * @param job                 namespace/name
 * @param uid                 metadata.uid (for event references); may be null
 * @param labels              metadata.labels
 * @param annotations         metadata.annotations starting with {@code flinkfleet.dev/}
 * @param generation          metadata.generation; null if unset
 * @param resourceVersion     metadata.resourceVersion
 * @param taskManagerReplicas spec.taskManager.replicas; null if unset
 * @param jobParallelism      spec.job.parallelism; null if unset
 * @param flinkConfiguration  the {@link #READ_CONFIGURATION} keys of spec.flinkConfiguration as strings (nested
 *                            maps flattened with dots)
 * @param lifecycleState      status.lifecycleState
 * @param reconciliationState status.reconciliationStatus.state
 * @param jobState            status.jobStatus.state
 * @param observedGeneration  status.observedGeneration; null if unset
 */
public record FlinkDeploymentView(
        JobRef job,
        String uid,
        Map<String, String> labels,
        Map<String, String> annotations,
        Long generation,
        String resourceVersion,
        Integer taskManagerReplicas,
        Integer jobParallelism,
        Map<String, String> flinkConfiguration,
        String lifecycleState,
        String reconciliationState,
        String jobState,
        Long observedGeneration) {

    /** The spec.flinkConfiguration keys the daemon reads; a view keeps no others. */
    public static final java.util.Set<String> READ_CONFIGURATION = java.util.Set.of(FlinkDeployments.CONF_TASK_SLOTS,
            FlinkDeployments.CONF_VERTEX_OVERRIDES,
            // Whether the operator's own autoscaler acts on the job: both spellings of both keys (OperatorAutoscaler).
            OperatorAutoscaler.ENABLED, OperatorAutoscaler.ENABLED_OLD, OperatorAutoscaler.SCALING_ENABLED, OperatorAutoscaler.SCALING_ENABLED_OLD);

    public FlinkDeploymentView {
        Objects.requireNonNull(job, "job");
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        flinkConfiguration = Collections.unmodifiableMap(new LinkedHashMap<>(flinkConfiguration));
    }

    /** Reads a FlinkDeployment. Throws {@link IllegalArgumentException} naming the object when a field has the wrong type. */
    public static FlinkDeploymentView of(GenericKubernetesResource r) {
        ObjectMeta meta = Objects.requireNonNull(r.getMetadata(), "metadata");
        JobRef job = new JobRef(meta.getNamespace() == null ? "default" : meta.getNamespace(), meta.getName());
        Map<String, Object> root = r.getAdditionalProperties();
        Map<String, String> conf = new LinkedHashMap<>();
        Object fc = path(root, "spec", "flinkConfiguration");
        if (fc instanceof Map<?, ?> m) {
            conf = FlinkConfigurationMaps.flatten(m);
            conf.keySet().retainAll(READ_CONFIGURATION);
        }
        Map<String, String> ours = new LinkedHashMap<>();
        if (meta.getAnnotations() != null) {
            meta.getAnnotations().forEach((k, v) -> {
                if (k.startsWith(FlinkDeployments.PREFIX) && v != null) {
                    ours.put(k, v);
                }
            });
        }
        return new FlinkDeploymentView(
                job,
                meta.getUid(),
                meta.getLabels() == null ? Map.of() : meta.getLabels(),
                ours,
                meta.getGeneration(),
                meta.getResourceVersion(),
                intOrNull(job, root, "spec", "taskManager", "replicas"),
                intOrNull(job, root, "spec", "job", "parallelism"),
                conf,
                stringOrNull(path(root, "status", "lifecycleState")),
                stringOrNull(path(root, "status", "reconciliationStatus", "state")),
                stringOrNull(path(root, "status", "jobStatus", "state")),
                longOrNull(job, root, "status", "observedGeneration"));
    }

    /** Slots per TaskManager; Flink's default 1 when unset. Throws naming the job when the value is not a positive int. */
    public int taskSlots() {
        String v = flinkConfiguration.get(FlinkDeployments.CONF_TASK_SLOTS);
        if (v == null || v.isBlank()) {
            return 1;
        }
        try {
            int slots = Integer.parseInt(v.trim());
            if (slots >= 1) {
                return slots;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(job + ": " + FlinkDeployments.CONF_TASK_SLOTS + " must be a positive integer, got '" + v + "'");
    }

    /**
     * True when the job's own flinkConfiguration lets the operator's autoscaler rescale it: on through
     * {@code job.autoscaler.enabled} or the older {@code kubernetes.operator.job.autoscaler.enabled}, and not in
     * advisory mode ({@code job.autoscaler.scaling.enabled: false}); also when a value is not a boolean (unknown
     * counts as on). Operator-wide defaults are added by {@link OperatorCoexistenceActuator}.
     */
    public boolean operatorAutoscalerEnabled() {
        return OperatorAutoscaler.ofJob(flinkConfiguration).mayScale();
    }

    /**
     * True when a user paused autoscaling with {@code flinkfleet.dev/paused: "true"}, and also for any value
     * other than true/false (e.g. "maybe", "yes", "1"): whoever wrote the annotation meant to say something
     * about pausing, and rescaling a job its owner tried to pause is the mistake that cannot be undone, while
     * holding it costs nothing until the value is fixed. {@link #annotationProblems()} reports such a value.
     */
    public boolean paused() {
        String v = annotations.get(FlinkDeployments.ANNOTATION_PAUSED);
        return v != null && !v.isBlank() && !"false".equalsIgnoreCase(v.trim());
    }

    /** The application bound by annotation, or null. */
    public String application() {
        String a = annotations.get(FlinkDeployments.ANNOTATION_APPLICATION);
        return a == null || a.isBlank() ? null : a.trim();
    }

    /**
     * Problems in the annotations users write by hand (annotation → what is wrong), for a warning event; empty
     * when there are none. The governor-state annotation is checked where it is read ({@link AnnotationStateStore}),
     * an application that no policy file defines where jobs are bound.
     */
    public Map<String, String> annotationProblems() {
        Map<String, String> problems = new LinkedHashMap<>();
        String p = annotations.get(FlinkDeployments.ANNOTATION_PAUSED);
        if (p != null && !p.isBlank() && !"true".equalsIgnoreCase(p.trim()) && !"false".equalsIgnoreCase(p.trim())) {
            problems.put(FlinkDeployments.ANNOTATION_PAUSED, "value '" + printable(p) + "' is neither true nor false; treated as paused");
        }
        String a = application();
        if (a != null && !a.matches("[A-Za-z0-9._-]{1,253}")) {
            problems.put(FlinkDeployments.ANNOTATION_APPLICATION, "value '" + printable(a)
                    + "' is not an application name (letters, digits, '.', '_', '-'); the job is not autoscaled");
        }
        return problems;
    }

    /** At most 80 characters, control characters shown as '?', so an event message stays readable. */
    static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 77) + "..." : s;
        StringBuilder sb = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
    }

    /** The raw governor-state annotation, or null. */
    public String governorStateAnnotation() {
        return annotations.get(FlinkDeployments.ANNOTATION_GOVERNOR_STATE);
    }

    static Object path(Map<String, Object> root, String... keys) {
        Object cur = root;
        for (String k : keys) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(k);
        }
        return cur;
    }

    private static String stringOrNull(Object v) {
        return v == null ? null : String.valueOf(v);
    }

    private static Integer intOrNull(JobRef job, Map<String, Object> root, String... keys) {
        Long l = longOrNull(job, root, keys);
        if (l == null) {
            return null;
        }
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(job + ": " + String.join(".", keys) + " out of range: " + l);
        }
        return l.intValue();
    }

    private static Long longOrNull(JobRef job, Map<String, Object> root, String... keys) {
        Object v = path(root, keys);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d != Math.rint(d)) {
                throw new IllegalArgumentException(job + ": " + String.join(".", keys) + " is not an integer: " + v);
            }
            return n.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(job + ": " + String.join(".", keys) + " is not an integer: '" + v + "'", e);
        }
    }
}

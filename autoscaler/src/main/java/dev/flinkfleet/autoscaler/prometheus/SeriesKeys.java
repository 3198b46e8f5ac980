package dev.flinkfleet.autoscaler.prometheus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which labels tell one job's Flink series from another's. Flink's reporter names the job ({@code job_name}), but
 * job names repeat across namespaces; the TaskManager and JobManager pods carry the FlinkDeployment's name
 * ({@code app}) and live in its namespace, so a PodMonitor with {@code podTargetLabels: [app]} (or any relabeling
 * to these names) puts both on every series. Every fleet-wide query aggregates by all of {@link #labels()}, and a
 * result is keyed by:
 * <ul>
 * <li>{@code namespace/deployment} when it carries both labels: the job is the FlinkDeployment of that name;</li>
 * <li>else its job label's value (series scraped without pod labels, e.g. Flink clusters outside Kubernetes).</li>
 * </ul>
 * A labelled series is never keyed by job name, so a job can never get another namespace's values under its
 * job name. With {@code deploymentLabel} empty, results are keyed by the job label alone. Pure.
 *
 * @param namespaceLabel  label holding the namespace ("namespace")
 * @param deploymentLabel label holding the FlinkDeployment's name ("app"); empty = key by job label only
 * @param jobLabel        label holding Flink's job name ("job_name")
 */
public record SeriesKeys(String namespaceLabel, String deploymentLabel, String jobLabel) {

    public SeriesKeys {
        check("job label", jobLabel);
        if (!deploymentLabel.isEmpty()) {
            check("deployment label", deploymentLabel);
            check("namespace label", namespaceLabel);
        }
    }

    /** Keyed by Flink's job name alone (as before namespaces were told apart). */
    public static SeriesKeys jobNameOnly(String jobLabel) {
        return new SeriesKeys("", "", jobLabel);
    }

    private static void check(String what, String label) {
        if (label == null || !PromQueries.LABEL_NAME.matcher(label).matches()) {
            throw new IllegalArgumentException(what + " must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*), got '" + label + "'");
        }
    }

    public boolean byDeployment() {
        return !deploymentLabel.isEmpty();
    }

    /** The labels every query aggregates by, in order. */
    public List<String> labels() {
        List<String> l = new ArrayList<>(3);
        if (byDeployment()) {
            l.add(namespaceLabel);
            l.add(deploymentLabel);
        }
        if (!l.contains(jobLabel)) {
            l.add(jobLabel);
        }
        return List.copyOf(l);
    }

    /** What {@code {{key_labels}}} renders to: {@code namespace, app, job_name}. */
    public String byClause() {
        return String.join(", ", labels());
    }

    /** The key of a result series, or null when it carries none of the key labels. */
    public String keyOf(Map<String, String> labels) {
        if (byDeployment()) {
            String ns = labels.get(namespaceLabel);
            String dep = labels.get(deploymentLabel);
            if (ns != null && !ns.isEmpty() && dep != null && !dep.isEmpty()) {
                return deploymentKey(ns, dep);
            }
        }
        String job = labels.get(jobLabel);
        return job == null || job.isEmpty() ? null : job;
    }

    /** The key of a FlinkDeployment's series. Flink's job names never contain '/', so the two kinds of key cannot meet. */
    public static String deploymentKey(String namespace, String name) {
        return namespace + "/" + name;
    }

    /**
     * Label matchers selecting one job, for the commands that read one job's history: {@code NAMESPACE/NAME}
     * selects a FlinkDeployment by namespace and deployment labels, anything else the job label.
     */
    public String matcherFor(String job) {
        int slash = job.indexOf('/');
        if (byDeployment() && slash > 0 && slash < job.length() - 1) {
            return namespaceLabel + "=\"" + escape(job.substring(0, slash)) + "\", " + deploymentLabel + "=\"" + escape(job.substring(slash + 1)) + "\"";
        }
        return jobLabel + "=\"" + escape(job) + "\"";
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}

package dev.flinkfleet.policies.config;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.flinkfleet.policies.ActuationMode;
import dev.flinkfleet.policies.JobRef;

/**
 * An application's defaults for where its jobs' signals come from and how they are resized: the
 * {@code kafka}, {@code prometheus} and {@code actuation} blocks of a policy file. Plain strings, so the engine
 * stays free of any client library; the daemon turns them into clients. Text values are templates: {@code
 * {namespace}} and {@code {name}} are replaced by the FlinkDeployment's namespace and name.
 *
 * @param kafkaCluster  Kafka cluster name in the daemon config; empty = the daemon's default cluster
 * @param consumerGroup consumer group template
 * @param topics        topic templates; empty = none known (per-job annotation, else no Kafka signals)
 * @param prometheusJob template of the job label's value on the job's Prometheus series
 * @param actuationMode how its jobs are resized; null = the daemon's default
 */
public record SignalWiring(String kafkaCluster, String consumerGroup, List<String> topics, String prometheusJob, ActuationMode actuationMode) {

    /** Placeholders a template may use. */
    public static final Set<String> PLACEHOLDERS = Set.of("namespace", "name");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    /** The reference defaults: default cluster, group and Prometheus job named like the job, no topics. */
    public static final SignalWiring DEFAULTS = new SignalWiring("", "{name}", List.of(), "{name}", null);

    public SignalWiring {
        Objects.requireNonNull(kafkaCluster, "kafkaCluster");
        Objects.requireNonNull(consumerGroup, "consumerGroup");
        topics = List.copyOf(topics);
        Objects.requireNonNull(prometheusJob, "prometheusJob");
    }

    /** {@code template} with {@code {namespace}} and {@code {name}} replaced by the job's. */
    public static String expand(String template, JobRef job) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = switch (m.group(1)) {
                case "namespace" -> job.namespace();
                case "name" -> job.name();
                default -> throw new IllegalArgumentException("unknown placeholder {" + m.group(1) + "} in '" + template
                        + "'; known: {namespace}, {name}");
            };
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The first placeholder of {@code template} that is not known, or null. */
    public static String unknownPlaceholder(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                return "{" + m.group(1) + "}";
            }
        }
        return null;
    }
}

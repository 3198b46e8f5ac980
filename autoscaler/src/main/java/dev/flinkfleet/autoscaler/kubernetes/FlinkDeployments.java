package dev.flinkfleet.autoscaler.kubernetes;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** Names that tie us to the Flink Kubernetes Operator's FlinkDeployment resource and to our own annotations. */
public final class FlinkDeployments {

    public static final String GROUP = "flink.apache.org";
    /** The API version FlinkDeployments are served at (operator 1.x). */
    public static final String VERSION = "v1beta1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String KIND = "FlinkDeployment";
    public static final String PLURAL = "flinkdeployments";

    /** Generic access: works with any operator version, no operator POJOs on the classpath. */
    public static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup(GROUP).withVersion(VERSION).withKind(KIND).withPlural(PLURAL).withNamespaced(true).build();

    /** Prefix of every label and annotation we read or write. */
    public static final String PREFIX = "flinkfleet.dev/";
    /** {@code "true"} pauses autoscaling for the job. */
    public static final String ANNOTATION_PAUSED = PREFIX + "paused";
    /** Binds the job to an application (policy file) by name. */
    public static final String ANNOTATION_APPLICATION = PREFIX + "application";
    /** Where {@link AnnotationStateStore} keeps the governor state. */
    public static final String ANNOTATION_GOVERNOR_STATE = PREFIX + "governor-state";

    /** Flink config keys we read or write. */
    public static final String CONF_TASK_SLOTS = "taskmanager.numberOfTaskSlots";
    public static final String CONF_OPERATOR_AUTOSCALER = "job.autoscaler.enabled";
    public static final String CONF_VERTEX_OVERRIDES = "pipeline.jobvertex-parallelism-overrides";

    private FlinkDeployments() {
    }
}

package dev.flinkfleet.autoscaler.kubernetes;

import java.util.Map;
import java.util.Objects;

/**
 * Does the Flink operator's own autoscaler act on a job? Resolved as the operator resolves it: the job's
 * {@code flinkConfiguration} over the operator-wide defaults (the operator's own config), and for each option
 * the current key ({@code job.autoscaler.enabled}) before the older one it still accepts
 * ({@code kubernetes.operator.job.autoscaler.enabled}). Pure.
 *
 * <ul>
 * <li>{@link Mode#OFF}: not enabled; we govern the job.</li>
 * <li>{@link Mode#SCALING}: enabled and scaling; two autoscalers must not fight, so we hold (or take over).</li>
 * <li>{@link Mode#ADVISORY}: enabled with {@code job.autoscaler.scaling.enabled: false}: it only computes and
 * reports recommendations and never rescales, so we govern the job beside it, and say so.</li>
 * <li>{@link Mode#UNKNOWN}: the job sets neither key and the operator's defaults could not be read, or a value is
 * not a boolean; whoever owns the job is unknown, so we hold.</li>
 * </ul>
 *
 * @param mode    the outcome
 * @param because which key and where it came from (the job or the operator's config), for logs and events
 */
public record OperatorAutoscaler(Mode mode, String because) {

    public enum Mode { OFF, SCALING, ADVISORY, UNKNOWN }

    public static final String ENABLED = FlinkDeployments.CONF_OPERATOR_AUTOSCALER;
    public static final String ENABLED_OLD = "kubernetes.operator.job.autoscaler.enabled";
    public static final String SCALING_ENABLED = "job.autoscaler.scaling.enabled";
    public static final String SCALING_ENABLED_OLD = "kubernetes.operator.job.autoscaler.scaling.enabled";

    public OperatorAutoscaler {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(because, "because");
    }

    /** True when the operator's autoscaler may rescale the job (or might: unknown counts). */
    public boolean mayScale() {
        return mode == Mode.SCALING || mode == Mode.UNKNOWN;
    }

    /** From the job's configuration alone, as if the operator had no defaults. */
    public static OperatorAutoscaler ofJob(Map<String, String> jobConf) {
        return of(jobConf, OperatorDefaults.NONE);
    }

    /** From the job's configuration over the operator-wide defaults. */
    public static OperatorAutoscaler of(Map<String, String> jobConf, OperatorDefaults defaults) {
        Objects.requireNonNull(jobConf, "jobConf");
        Objects.requireNonNull(defaults, "defaults");
        if (!defaults.readable() && !jobConf.containsKey(ENABLED)) {
            // Only the job's current key is decisive: an operator default under it would win over the job's older key.
            return new OperatorAutoscaler(Mode.UNKNOWN, ENABLED + " is not set on the job and the operator's defaults are unknown ("
                    + defaults.problem() + "); set " + ENABLED + " on the job to say who scales it");
        }
        Setting enabled = lookup(jobConf, defaults, ENABLED, ENABLED_OLD);
        if (enabled == null) {
            return new OperatorAutoscaler(Mode.OFF, ENABLED + " is set neither on the job nor in " + defaults.source());
        }
        Boolean on = bool(enabled.value());
        if (on == null) {
            return new OperatorAutoscaler(Mode.UNKNOWN, enabled + " is not true or false");
        }
        if (!on) {
            return new OperatorAutoscaler(Mode.OFF, enabled.toString());
        }
        Setting scaling = lookup(jobConf, defaults, SCALING_ENABLED, SCALING_ENABLED_OLD);
        if (scaling == null) {
            return new OperatorAutoscaler(Mode.SCALING, enabled.toString());
        }
        Boolean scales = bool(scaling.value());
        if (scales == null) {
            return new OperatorAutoscaler(Mode.UNKNOWN, scaling + " is not true or false");
        }
        return scales
                ? new OperatorAutoscaler(Mode.SCALING, enabled + ", " + scaling)
                : new OperatorAutoscaler(Mode.ADVISORY, enabled + " with " + scaling + ": advisory mode, it recommends and never rescales");
    }

    /** One resolved option: its value and which key in which source gave it. */
    private record Setting(String key, String value, String source) {
        @Override
        public String toString() {
            return key + "=" + value + " (" + source + ")";
        }
    }

    /** Job before operator defaults (the operator merges the job's config over its own); in each, the current key first. */
    private static Setting lookup(Map<String, String> job, OperatorDefaults defaults, String key, String oldKey) {
        // Flink resolves the current key over the whole merged config before the fallback key.
        Setting s = in(job, "job", key);
        if (s == null) {
            s = in(defaults.conf(), defaults.source(), key);
        }
        if (s == null) {
            s = in(job, "job", oldKey);
        }
        if (s == null) {
            s = in(defaults.conf(), defaults.source(), oldKey);
        }
        return s;
    }

    private static Setting in(Map<String, String> conf, String source, String key) {
        String v = conf.get(key);
        return v == null ? null : new Setting(key, v.strip(), source);
    }

    /** Flink's boolean: true or false, any case; anything else is null. */
    static Boolean bool(String v) {
        if ("true".equalsIgnoreCase(v)) {
            return true;
        }
        return "false".equalsIgnoreCase(v) ? false : null;
    }
}

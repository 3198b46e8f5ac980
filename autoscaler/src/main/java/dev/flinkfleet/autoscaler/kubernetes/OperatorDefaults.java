package dev.flinkfleet.autoscaler.kubernetes;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Flink operator's operator-wide Flink configuration (its defaults for every job), as last read from its
 * ConfigMap. Pure value.
 *
 * @param conf    flat key to value; empty when not found or unreadable
 * @param source  where it came from, e.g. {@code ConfigMap flink-operator/flink-operator-config (config.yaml)}
 * @param found   the ConfigMap exists and was read
 * @param problem why it could not be read (null when it was read or is known to be absent); while set, a job
 *                that does not say itself whether the operator's autoscaler is on is held
 */
public record OperatorDefaults(Map<String, String> conf, String source, boolean found, String problem) {

    /** No operator defaults: the ConfigMap does not exist, or reading it is switched off. */
    public static final OperatorDefaults NONE = new OperatorDefaults(Map.of(), "the operator's config (none)", false, null);

    public OperatorDefaults {
        conf = Collections.unmodifiableMap(new LinkedHashMap<>(conf));
        Objects.requireNonNull(source, "source");
    }

    public static OperatorDefaults found(Map<String, String> conf, String source) {
        return new OperatorDefaults(conf, source, true, null);
    }

    public static OperatorDefaults absent(String source) {
        return new OperatorDefaults(Map.of(), source, false, null);
    }

    public static OperatorDefaults unreadable(String source, String problem) {
        return new OperatorDefaults(Map.of(), source, false, Objects.requireNonNull(problem, "problem"));
    }

    /** True unless reading failed (found, or known to be absent). */
    public boolean readable() {
        return problem == null;
    }
}

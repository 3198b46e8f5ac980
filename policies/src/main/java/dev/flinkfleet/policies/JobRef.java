package dev.flinkfleet.policies;

import java.util.Objects;

/** Identifies one Flink job: the namespace and name of its FlinkDeployment. */
public record JobRef(String namespace, String name) implements Comparable<JobRef> {

    public JobRef {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        if (namespace.isBlank() || name.isBlank()) {
            throw new IllegalArgumentException("job namespace and name must not be blank: '" + namespace + "/" + name + "'");
        }
    }

    /** Parses {@code namespace/name}. */
    public static JobRef parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("expected namespace/name, got '" + text + "'");
        }
        return new JobRef(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public int compareTo(JobRef o) {
        int c = namespace.compareTo(o.namespace);
        return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}

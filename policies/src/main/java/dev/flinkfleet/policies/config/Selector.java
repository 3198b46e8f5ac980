package dev.flinkfleet.policies.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import dev.flinkfleet.policies.JobRef;

/**
 * Which jobs an application governs. A job matches when every given part matches; an empty part matches
 * anything.
 *
 * @param namespaces namespaces to match exactly; empty = any
 * @param names      job name globs ({@link Glob}); empty = any
 * @param labels     labels that must all be present with exactly these values
 */
public record Selector(List<String> namespaces, List<String> names, Map<String, String> labels) {

    /** Matches every job. */
    public static final Selector ANY = new Selector(List.of(), List.of(), Map.of());

    public Selector {
        namespaces = List.copyOf(namespaces);
        names = List.copyOf(names);
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    public boolean matches(JobRef job, Map<String, String> jobLabels) {
        if (!namespaces.isEmpty() && !namespaces.contains(job.namespace())) {
            return false;
        }
        if (!names.isEmpty() && names.stream().noneMatch(g -> Glob.matches(g, job.name()))) {
            return false;
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!Objects.equals(jobLabels.get(e.getKey()), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Conservative static check: false only when no job can match both selectors. True does not prove an
     * overlap (e.g. {@code a*} and {@code *b} share {@code ab}, which may not exist).
     */
    public boolean mayOverlap(Selector other) {
        if (!namespaces.isEmpty() && !other.namespaces.isEmpty()
                && namespaces.stream().noneMatch(other.namespaces::contains)) {
            return false;
        }
        if (!names.isEmpty() && !other.names.isEmpty()
                && names.stream().noneMatch(a -> other.names.stream().anyMatch(b -> Glob.intersects(a, b)))) {
            return false;
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String v = other.labels.get(e.getKey());
            if (v != null && !v.equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("namespaces=").append(namespaces.isEmpty() ? "any" : namespaces);
        sb.append(" names=").append(names.isEmpty() ? "any" : names);
        if (!labels.isEmpty()) {
            sb.append(" labels=").append(labels);
        }
        return sb.toString();
    }
}

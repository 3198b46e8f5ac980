package dev.flinkfleet.autoscaler.flinkrest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A job's resource requirements as the adaptive scheduler keeps them ({@code GET/PUT
 * /jobs/:jobid/resource-requirements}): per job vertex id, the bounds of its parallelism. Immutable.
 */
public record ResourceRequirements(Map<String, Bounds> byVertex) {

    /** One vertex's parallelism bounds. */
    public record Bounds(int lowerBound, int upperBound) {
        public Bounds {
            if (lowerBound < 1 || upperBound < lowerBound) {
                throw new IllegalArgumentException("need 1 <= lowerBound <= upperBound, got " + lowerBound + ".." + upperBound);
            }
        }
    }

    public ResourceRequirements {
        Objects.requireNonNull(byVertex, "byVertex");
        if (byVertex.isEmpty()) {
            throw new IllegalArgumentException("resource requirements name no vertex");
        }
        byVertex = java.util.Collections.unmodifiableMap(new TreeMap<>(byVertex));
    }

    /** The largest upper bound: the parallelism the job asks for. */
    public int maxUpperBound() {
        return byVertex.values().stream().mapToInt(Bounds::upperBound).max().orElseThrow();
    }

    /**
     * Every vertex's upper bound set to {@code parallelism}; a lower bound above it is lowered to it (Flink
     * rejects lower > upper), others are kept.
     */
    public ResourceRequirements withUpperBound(int parallelism) {
        Map<String, Bounds> m = new LinkedHashMap<>();
        byVertex.forEach((v, b) -> m.put(v, new Bounds(Math.min(b.lowerBound(), parallelism), parallelism)));
        return new ResourceRequirements(m);
    }
}

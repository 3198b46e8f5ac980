package dev.flinkfleet.autoscaler.flinkrest;

import java.util.List;
import java.util.Objects;

/**
 * What {@code GET /jobs/:jobid} says about a job that matters for rescaling it.
 *
 * @param id       the job id (32 hex digits)
 * @param name     the job's name
 * @param state    the job status (RUNNING, RESTARTING, ...)
 * @param vertices its vertices with their current parallelism and execution state
 */
public record JobDetails(String id, String name, String state, List<Vertex> vertices) {

    /** One job vertex as it runs now. */
    public record Vertex(String id, String name, int parallelism, String status) {
    }

    public JobDetails {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        vertices = List.copyOf(vertices);
    }

    /** The largest running parallelism of any vertex: the job's size as the policy sees it. */
    public int parallelism() {
        return vertices.stream().mapToInt(Vertex::parallelism).max().orElse(0);
    }
}

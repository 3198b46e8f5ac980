package dev.flinkfleet.autoscaler.flinkrest;

import java.util.List;
import java.util.Objects;

import dev.flinkfleet.policies.JobRef;

/**
 * A job found on a Flink REST endpoint: which cluster it runs on and its id there.
 *
 * @param ref         how the daemon names it: namespace = the cluster's configured name, name = the job's name
 * @param endpoint    the cluster's client
 * @param jobId       the job id on that cluster
 * @param parallelism the largest running parallelism of its vertices when discovered (its size in workers:
 *                    one worker is one slot here, since a session cluster's TaskManagers are not the daemon's)
 * @param vertexIds   its vertex ids
 */
public record RestJob(JobRef ref, FlinkRestClient endpoint, String jobId, int parallelism, List<String> vertexIds) {
    public RestJob {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(jobId, "jobId");
        vertexIds = List.copyOf(vertexIds);
    }
}

package dev.flinkfleet.autoscaler.flinkrest;

/** One entry of {@code GET /jobs/overview}: a job's id, name and status. */
public record JobSummary(String id, String name, String state) {
}

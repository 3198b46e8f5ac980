package dev.flinkfleet.autoscaler.flinkrest;

import java.util.Objects;

import dev.flinkfleet.policies.ReasonCode;

/**
 * Is it safe to change a job's resource requirements now? The flink-rest counterpart of the operator path's
 * SafetyCheck: only a RUNNING job whose every vertex runs, at exactly the parallelism its requirements ask for
 * (otherwise a rescale is still in progress, or the cluster lacks the slots for the last one), and whose
 * requirements are still those the decision was made for (optimistic: if someone changed them under us, the
 * job is decided again next cycle on fresh numbers). Pure.
 *
 * <p>Flink's REST API serves job details from a cache ({@code web.refresh-interval}, 3 s by default) while the
 * requirements are read fresh, so right after a rescale the vertices can still read at the old parallelism:
 * that is a "rescale in progress" hold for a cycle, never a write on stale numbers.
 */
public final class RescaleSafety {

    /** The verdict; {@code reason} and {@code detail} are null when safe. */
    public record Verdict(boolean safe, ReasonCode reason, String detail) {
        static final Verdict SAFE = new Verdict(true, null, null);

        static Verdict unsafe(String detail) {
            return new Verdict(false, ReasonCode.HOLD_UNSAFE_STATE, detail);
        }
    }

    private RescaleSafety() {
    }

    /**
     * @param job        the job as it runs now
     * @param current    its resource requirements now
     * @param decidedFor the parallelism the decision assumed the job has
     */
    public static Verdict check(JobDetails job, ResourceRequirements current, int decidedFor) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(current, "current");
        if (!"RUNNING".equals(job.state())) {
            return Verdict.unsafe("job state is " + job.state() + ", need RUNNING");
        }
        for (JobDetails.Vertex v : job.vertices()) {
            if (!"RUNNING".equals(v.status())) {
                return Verdict.unsafe("vertex '" + v.name() + "' is " + v.status() + ", need RUNNING (the job is starting or rescaling)");
            }
            ResourceRequirements.Bounds b = current.byVertex().get(v.id());
            if (b == null) {
                return new Verdict(false, ReasonCode.HOLD_ERROR, "the resource requirements do not name vertex '" + v.name() + "' (" + v.id() + ")");
            }
            if (v.parallelism() != b.upperBound()) {
                return Verdict.unsafe("rescale in progress: vertex '" + v.name() + "' runs at parallelism " + v.parallelism()
                        + ", its requirements ask for " + b.upperBound() + " (or the cluster lacks the slots)");
            }
        }
        if (current.maxUpperBound() != decidedFor) {
            return Verdict.unsafe("resource requirements changed under us: they ask for parallelism " + current.maxUpperBound()
                    + ", the decision was made for " + decidedFor + "; deciding again next cycle");
        }
        return Verdict.SAFE;
    }
}

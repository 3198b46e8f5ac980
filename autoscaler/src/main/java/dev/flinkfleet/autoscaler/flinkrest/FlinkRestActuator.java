package dev.flinkfleet.autoscaler.flinkrest;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.ReasonCode;

/**
 * Actuation mode {@code flink-rest}: rescales a job on a standalone or session cluster running the adaptive
 * scheduler (Flink 1.18+) by setting every vertex's parallelism upper bound with {@code PUT
 * /jobs/:jobid/resource-requirements}; the scheduler rescales in place from the last checkpoint. A worker is
 * one unit of parallelism.
 *
 * <p>Each apply reads the job and its requirements fresh, checks {@link RescaleSafety}, writes, then reads the
 * requirements back: if they differ from what was written, someone else changed them at the same time and the
 * job is decided again next cycle. Every failure (endpoint unreachable, job gone, 409/503, a scheduler that
 * refuses resource requirements, an unreadable answer) becomes a hold whose detail names the endpoint; nothing
 * is thrown to the loop.
 */
public final class FlinkRestActuator implements Actuator {

    private static final Logger LOG = LoggerFactory.getLogger(FlinkRestActuator.class);

    private final Function<dev.flinkfleet.policies.JobRef, RestJob> jobs;
    private final boolean dryRun;
    private final BooleanSupplier mayWrite;

    /**
     * @param jobs     the discovered job behind a reference, or null when no endpoint has it
     * @param dryRun   decide and log, write nothing
     * @param mayWrite false once this replica is no longer the leader
     */
    public FlinkRestActuator(Function<dev.flinkfleet.policies.JobRef, RestJob> jobs, boolean dryRun, BooleanSupplier mayWrite) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.dryRun = dryRun;
        this.mayWrite = Objects.requireNonNull(mayWrite, "mayWrite");
    }

    @Override
    public Result apply(Decision decision) {
        if (!mayWrite.getAsBoolean()) {
            return Result.skipped(ReasonCode.HOLD_UNSAFE_STATE, "no longer the leader; the next leader decides");
        }
        RestJob job = jobs.apply(decision.job());
        if (job == null) {
            return Result.skipped(ReasonCode.HOLD_ERROR, "job is not running on any configured Flink REST endpoint (flinkfleet.flink-rest.clusters)");
        }
        FlinkRestClient rest = job.endpoint();
        String step = "reading job " + job.jobId();
        try {
            JobDetails details = rest.job(job.jobId());
            step = "reading the resource requirements of job " + job.jobId();
            ResourceRequirements current = rest.requirements(job.jobId());
            RescaleSafety.Verdict verdict = RescaleSafety.check(details, current, decision.currentWorkers());
            if (!verdict.safe()) {
                return Result.skipped(verdict.reason(), verdict.detail() + " (" + rest.describe() + ")");
            }
            ResourceRequirements wanted = current.withUpperBound(decision.targetWorkers());
            String what = "parallelism of job " + job.jobId() + " on " + rest.describe() + " " + decision.currentWorkers() + " -> "
                    + decision.targetWorkers();
            if (dryRun) {
                return new Result(Outcome.DRY_RUN, null, "dry run: would set " + what);
            }
            step = "writing the resource requirements of job " + job.jobId();
            rest.putRequirements(job.jobId(), wanted);
            step = "reading back the resource requirements of job " + job.jobId();
            ResourceRequirements after = rest.requirements(job.jobId());
            if (!after.equals(wanted)) {
                LOG.info("{}: resource requirements changed right after our write: {}", decision.job(), after);
                return Result.skipped(ReasonCode.HOLD_UNSAFE_STATE, "resource requirements changed at the same time as our write (now ask for "
                        + after.maxUpperBound() + "); deciding again next cycle (" + rest.describe() + ")");
            }
            return Result.applied("set " + what);
        } catch (FlinkRestException e) {
            return Result.skipped(reasonFor(e), step + " failed: " + e.getMessage() + hint(e));
        }
    }

    /** A backend that is down or busy is HOLD_BACKEND_UNAVAILABLE; a job or cluster in the wrong state is unsafe. */
    static ReasonCode reasonFor(FlinkRestException e) {
        return switch (e.kind()) {
            case UNREACHABLE, UNAVAILABLE -> ReasonCode.HOLD_BACKEND_UNAVAILABLE;
            case NOT_FOUND, CONFLICT, REFUSED -> ReasonCode.HOLD_UNSAFE_STATE;
            case BAD_RESPONSE -> ReasonCode.HOLD_ERROR;
        };
    }

    private static String hint(FlinkRestException e) {
        return switch (e.kind()) {
            case NOT_FOUND -> " (the job finished, was cancelled or resubmitted under a new id; or the cluster is older than Flink 1.18)";
            case REFUSED -> " (resource requirements need the adaptive scheduler: jobmanager.scheduler: adaptive, Flink 1.18+)";
            default -> "";
        };
    }
}

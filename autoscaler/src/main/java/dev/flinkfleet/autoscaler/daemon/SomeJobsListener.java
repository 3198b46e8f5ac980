package dev.flinkfleet.autoscaler.daemon;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.JobOutcome;

/**
 * Passes a listener only the outcomes of the jobs it can act on: Kubernetes events are written on a
 * FlinkDeployment, which a job found on a Flink REST endpoint does not have.
 */
final class SomeJobsListener implements CycleListener {

    private final CycleListener delegate;
    private final Predicate<JobOutcome> include;

    SomeJobsListener(CycleListener delegate, Predicate<JobOutcome> include) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.include = Objects.requireNonNull(include, "include");
    }

    @Override
    public void onJob(JobOutcome outcome) {
        if (include.test(outcome)) {
            delegate.onJob(outcome);
        }
    }

    @Override
    public void onSourceFailure(Instant now, Exception error) {
        delegate.onSourceFailure(now, error);
    }

    @Override
    public void onCycle(Instant now, List<JobOutcome> outcomes) {
        delegate.onCycle(now, outcomes.stream().filter(include).toList());
    }
}

package dev.flinkfleet.autoscaler.daemon;

import java.util.Objects;
import java.util.function.Predicate;

import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.StateStore;

/**
 * Governor state in two places by kind of job: jobs found on Flink REST endpoints have no object to annotate,
 * so theirs is kept in the daemon's memory (a restart or a leader change forgets their cooldowns and history);
 * FlinkDeployments keep theirs in annotations.
 */
final class RoutedStateStore implements StateStore {

    private final Predicate<JobRef> inMemory;
    private final StateStore memory;
    private final StateStore other;

    RoutedStateStore(Predicate<JobRef> inMemory, StateStore memory, StateStore other) {
        this.inMemory = Objects.requireNonNull(inMemory, "inMemory");
        this.memory = Objects.requireNonNull(memory, "memory");
        this.other = Objects.requireNonNull(other, "other");
    }

    @Override
    public GovernorState load(JobRef job) throws Exception {
        return (inMemory.test(job) ? memory : other).load(job);
    }

    @Override
    public void save(JobRef job, GovernorState state) throws Exception {
        (inMemory.test(job) ? memory : other).save(job, state);
    }
}

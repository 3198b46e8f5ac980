package dev.flinkfleet.policies;

import java.util.concurrent.ConcurrentHashMap;

/** A {@link StateStore} in a map: the simulator's, and the daemon's fallback for tests. */
public final class InMemoryStateStore implements StateStore {

    private final ConcurrentHashMap<JobRef, GovernorState> states = new ConcurrentHashMap<>();

    @Override
    public GovernorState load(JobRef job) {
        return states.getOrDefault(job, GovernorState.empty());
    }

    @Override
    public void save(JobRef job, GovernorState state) {
        states.put(job, state);
    }
}

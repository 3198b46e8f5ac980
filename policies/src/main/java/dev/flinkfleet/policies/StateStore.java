package dev.flinkfleet.policies;

/** Keeps {@link GovernorState} between cycles (and, in the daemon, across restarts). */
public interface StateStore {

    /** The stored state, or {@link GovernorState#empty()} when there is none. */
    GovernorState load(JobRef job) throws Exception;

    void save(JobRef job, GovernorState state) throws Exception;
}

package dev.flinkfleet.autoscaler.http;

/** Where this replica stands in leader election, as readiness and liveness see it. */
public enum LeadershipState {
    /** This replica holds the lease and runs the control loop. */
    LEADER,
    /** Another replica holds the lease; this one waits, and its loop does not run cycles. */
    STANDBY,
    /** Not known yet (election not started, or the API server cannot be reached). */
    UNKNOWN
}

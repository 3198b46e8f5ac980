package dev.flinkfleet.autoscaler.kubernetes;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;

/** Decisions as the governor would hand them to the actuator. */
final class TestDecisions {

    static final Instant AT = Instant.parse("2026-11-27T10:00:00Z");

    private TestDecisions() {
    }

    static Decision scale(JobRef job, int from, int to) {
        ReasonCode reason = to > from ? ReasonCode.SCALE_UP_BACKLOG : ReasonCode.SCALE_DOWN_CPU;
        return new Decision(job, AT, from, to, new Recommendation(to, reason, "backlog time 300 s > 120 s", Map.of("backlogTime", 300.0)),
                reason, List.of(), Quality.FRESH, GovernorState.empty());
    }

    static Decision hold(JobRef job, int at, ReasonCode reason) {
        return new Decision(job, AT, at, at, Recommendation.hold(at, reason, "steady", Map.of()), reason, List.of(), Quality.FRESH, GovernorState.empty());
    }
}

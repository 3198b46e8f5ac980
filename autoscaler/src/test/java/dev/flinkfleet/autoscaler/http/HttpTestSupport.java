package dev.flinkfleet.autoscaler.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.Adjustment;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobPlan;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/** Builders and fakes for the http package's tests. */
final class HttpTestSupport {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private HttpTestSupport() {
    }

    /** A policy that only carries a name and its required signals; the board never calls it. */
    static ScalingPolicy policy(String name) {
        return new ScalingPolicy() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Set<SignalKind> requiredSignals() {
                return Set.of(SignalKind.BACKLOG, SignalKind.CPU);
            }

            @Override
            public Recommendation recommend(Signals signals) {
                throw new UnsupportedOperationException();
            }
        };
    }

    static JobPlan plan(JobRef job, String app) {
        return new JobPlan(job, app, policy("backlog-drain"), (s, r, p, st, now) -> {
            throw new UnsupportedOperationException();
        });
    }

    /** Backlog and CPU fresh, throughput stale, the rest missing. */
    static Signals signals(JobRef job, Instant at, int workers) {
        return Signals.builder(job, at).workers(workers).parallelism(workers).maxParallelism(24)
                .set(SignalKind.BACKLOG, Measurement.of(SignalKind.BACKLOG, 1234, 3, 60))
                .set(SignalKind.CPU, Measurement.of(SignalKind.CPU, 0.5, 3, 60))
                .set(SignalKind.THROUGHPUT, Measurement.of(SignalKind.THROUGHPUT, 100, 90, 60))
                .build();
    }

    static Decision decision(JobRef job, Instant at, int current, int target, ReasonCode reason, List<Adjustment> adjustments) {
        Recommendation rec = new Recommendation(target, reason, "wanted " + target + " at " + at,
                Map.of("backlog", 1234.0, "cpu", Double.NaN));
        return new Decision(job, at, current, target, rec, reason, adjustments, Quality.FRESH, GovernorState.empty());
    }

    static JobOutcome outcome(JobRef job, String app, Instant at, int current, int target, ReasonCode reason, Actuator.Result result) {
        return new JobOutcome(plan(job, app), signals(job, at, current),
                decision(job, at, current, target, reason, List.of()), result, null);
    }

    static JobOutcome failed(JobRef job, String app, Exception error) {
        return new JobOutcome(plan(job, app), null, null, null, error);
    }
}

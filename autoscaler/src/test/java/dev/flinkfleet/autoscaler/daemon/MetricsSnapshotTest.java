package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobPlan;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/** Which jobs get series of their own, and why; the fleet aggregates beside them. */
class MetricsSnapshotTest {

    static final Instant NOW = DaemonTestSupport.NOW;
    static final JobRef JOB = new JobRef("sec", "fw-logs");
    /** Application "fw": at most 10 workers, SLA 60 s. */
    static final Map<String, MetricsSnapshot.Limits> LIMITS = Map.of("fw", new MetricsSnapshot.Limits(10, 60));

    /** A job at {@code workers} with a watermark lag and backlog growth, decided with {@code reason}. */
    static JobOutcome outcome(JobRef job, int workers, double lag, double growth, Quality quality, ReasonCode reason, int target,
                              Actuator.Result result, Exception error) {
        JobPlan plan = new JobPlan(job, "fw", DaemonTestSupport.NO_POLICY, (s, r, p, st, now) -> {
            throw new UnsupportedOperationException();
        });
        Signals s = Signals.builder(job, NOW).workers(workers).parallelism(workers)
                .fresh(SignalKind.WATERMARK_LAG, lag).fresh(SignalKind.BACKLOG_GROWTH, growth).fresh(SignalKind.BACKLOG, 500).build();
        Decision d = error != null && result == null ? null : new Decision(job, NOW, workers, target,
                new Recommendation(target, reason, "test", Map.of()), reason, List.of(), quality, GovernorState.empty());
        return new JobOutcome(plan, s, d, result, error);
    }

    static JobOutcome calm(JobRef job) {
        return outcome(job, 4, 5, 0, Quality.FRESH, ReasonCode.HOLD_IN_RANGE, 4, null, null);
    }

    record Case(String name, JobOutcome outcome, Map<JobRef, Instant> lastRescale, JobAttention expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> causes() {
        return Stream.of(
                new Case("in range, fresh, under SLA: none", calm(JOB), Map.of(), JobAttention.NONE),
                new Case("deciding failed", outcome(JOB, 4, 5, 0, Quality.FRESH, ReasonCode.HOLD_ERROR, 4, null,
                        new IllegalStateException("boom")), Map.of(), JobAttention.ERROR),
                new Case("actuator refused for an unsafe state", outcome(JOB, 4, 5, 0, Quality.FRESH, ReasonCode.SCALE_UP_BACKLOG, 6,
                        Actuator.Result.skipped(ReasonCode.HOLD_UNSAFE_STATE, "RESTARTING"), null), Map.of(), JobAttention.ERROR),
                new Case("latency above the SLA", outcome(JOB, 4, 61, 0, Quality.FRESH, ReasonCode.HOLD_IN_RANGE, 4, null, null),
                        Map.of(), JobAttention.OVER_SLA),
                new Case("latency at the SLA is not over it", outcome(JOB, 4, 60, 0, Quality.FRESH, ReasonCode.HOLD_IN_RANGE, 4, null, null),
                        Map.of(), JobAttention.NONE),
                new Case("backlog growing at max workers", outcome(JOB, 10, 5, 3, Quality.FRESH, ReasonCode.CAPPED_MAX, 10, null, null),
                        Map.of(), JobAttention.BACKLOG_GROWING_AT_MAX),
                new Case("backlog growing below max", outcome(JOB, 9, 5, 3, Quality.FRESH, ReasonCode.HOLD_IN_RANGE, 9, null, null),
                        Map.of(), JobAttention.NONE),
                new Case("stale signals", outcome(JOB, 4, 5, 0, Quality.STALE, ReasonCode.HOLD_STALE_SIGNALS, 4, null, null),
                        Map.of(), JobAttention.SIGNALS_NOT_FRESH),
                new Case("rescaled 15 minutes ago (the window's edge)", calm(JOB), Map.of(JOB, NOW.minus(Duration.ofMinutes(15))),
                        JobAttention.RECENTLY_RESCALED),
                new Case("rescaled 16 minutes ago", calm(JOB), Map.of(JOB, NOW.minus(Duration.ofMinutes(16))), JobAttention.NONE),
                new Case("an error outranks being over the SLA", outcome(JOB, 4, 600, 0, Quality.FRESH, ReasonCode.HOLD_ERROR, 4, null,
                        new IllegalStateException("boom")), Map.of(), JobAttention.ERROR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("causes")
    void exportsAJobForItsMostUrgentCause(Case c) {
        MetricsSnapshot s = MetricsSnapshot.of(List.of(c.outcome()), LIMITS, c.lastRescale(), Map.of(), MetricsSettings.DEFAULTS, NOW);
        assertEquals(c.expected() == JobAttention.NONE ? List.of() : List.of(c.expected()), s.jobs().stream().map(MetricsSnapshot.JobRow::cause).toList());
        assertEquals(c.expected() == JobAttention.NONE ? 0 : 1, s.attention());

        MetricsSnapshot all = MetricsSnapshot.of(List.of(c.outcome()), LIMITS, c.lastRescale(), Map.of(),
                new MetricsSettings(true, Duration.ofMinutes(15), 0), NOW);
        assertEquals(List.of(c.expected()), all.jobs().stream().map(MetricsSnapshot.JobRow::cause).toList(), "per-job = all exports every job");
    }

    @Test
    void theCapKeepsTheMostUrgentJobsAndTheAggregatesCountThemAll() {
        List<JobOutcome> fleet = List.of(
                calm(new JobRef("sec", "a-rescaled")),
                outcome(new JobRef("sec", "b-slightly-late"), 4, 70, 0, Quality.FRESH, ReasonCode.HOLD_IN_RANGE, 4, null, null),
                outcome(new JobRef("sec", "c-very-late"), 4, 600, 0, Quality.FRESH, ReasonCode.HOLD_IN_RANGE, 4, null, null),
                outcome(new JobRef("sec", "d-broken"), 4, 5, 0, Quality.FRESH, ReasonCode.HOLD_ERROR, 4, null, new IllegalStateException("x")),
                calm(new JobRef("sec", "e-calm")));
        MetricsSnapshot s = MetricsSnapshot.of(fleet, LIMITS, Map.of(new JobRef("sec", "a-rescaled"), NOW), Map.of(),
                new MetricsSettings(false, Duration.ofMinutes(15), 2), NOW);

        assertEquals(List.of("d-broken", "c-very-late"), s.jobs().stream().map(r -> r.job().name()).toList());
        assertEquals(4, s.attention());
        MetricsSnapshot.AppAggregate fw = s.applications().get("fw");
        assertEquals(Map.of(ReasonCode.HOLD_IN_RANGE, 4, ReasonCode.HOLD_ERROR, 1), fw.byReason);
        assertEquals(Map.of(JobAttention.ERROR, 1, JobAttention.OVER_SLA, 2, JobAttention.RECENTLY_RESCALED, 1), fw.byAttention);
        assertEquals(4, fw.byQuality[Quality.FRESH.ordinal()], "the failed job made no decision");
        assertEquals(20, fw.workersCurrent);
        assertEquals(20, fw.workersDesired);
    }
}

package dev.flinkfleet.policies.governor;

import static dev.flinkfleet.policies.ReasonCode.*;
import static dev.flinkfleet.policies.governor.Fakes.rec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.config.GovernorSettings;
import dev.flinkfleet.policies.Adjustment;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.GovernorState.Sample;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

class DefaultGovernorTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    static final JobRef JOB = new JobRef("team-a", "enricher");

    static final Measurement FRESH_CPU = Measurement.of(SignalKind.CPU, 0.5, 10, 60);
    static final Measurement STALE_CPU = new Measurement(0.5, 90, Quality.STALE);
    static final Measurement MISSING = Measurement.missing();

    /**
     * One rule case. The policy needs CPU only; {@code cpu} is its measurement. Expected values are worked out by
     * hand from the rule text in {@link DefaultGovernor}.
     */
    record Case(String name, String config, int current, int maxParallelism, Measurement cpu, GovernorState state,
                Recommendation rec, int target, ReasonCode reason, List<ReasonCode> codes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, String config, int current, int maxPar, Measurement cpu, GovernorState state,
                  Recommendation rec, int target, ReasonCode reason, ReasonCode... codes) {
        return new Case(name, config, current, maxPar, cpu, state, rec, target, reason, List.of(codes));
    }

    static Instant ago(int minutes) {
        return NOW.minus(Duration.ofMinutes(minutes));
    }

    static GovernorState samples(Sample... s) {
        return new GovernorState(null, null, List.of(s));
    }

    static Sample sample(int minutesAgo, int target) {
        return new Sample(ago(minutesAgo), target);
    }

    static final GovernorState NONE = GovernorState.empty();

    static Stream<Case> cases() {
        return Stream.of(
                // nothing applies
                c("untouched scale-up keeps the policy's reason", "", 4, 0, FRESH_CPU, NONE, rec(6, SCALE_UP_CPU), 6, SCALE_UP_CPU),
                c("untouched hold", "", 4, 0, FRESH_CPU, NONE, rec(4, HOLD_IN_RANGE), 4, HOLD_IN_RANGE),

                // 2. bounds
                c("capped at max parallelism / slots", "slots-per-worker = 2", 2, 8, FRESH_CPU, NONE, rec(10, SCALE_UP_BACKLOG), 4, CAPPED_PARALLELISM, CAPPED_PARALLELISM),
                c("parallelism cap rounds down", "slots-per-worker = 2", 2, 7, FRESH_CPU, NONE, rec(5, SCALE_UP_BACKLOG), 3, CAPPED_PARALLELISM, CAPPED_PARALLELISM),
                c("parallelism cap is at least one worker", "slots-per-worker = 4", 2, 1, FRESH_CPU, NONE, rec(3, SCALE_UP_BACKLOG), 1, CAPPED_PARALLELISM, CAPPED_PARALLELISM),
                c("parallelism cap off", "respect-max-parallelism = false", 2, 4, FRESH_CPU, NONE, rec(10, SCALE_UP_BACKLOG), 10, SCALE_UP_BACKLOG),
                c("unknown max parallelism is no cap", "", 2, 0, FRESH_CPU, NONE, rec(10, SCALE_UP_BACKLOG), 10, SCALE_UP_BACKLOG),
                c("capped at max-workers", "max-workers = 8", 4, 0, FRESH_CPU, NONE, rec(12, SCALE_UP_CPU), 8, CAPPED_MAX, CAPPED_MAX),
                c("parallelism then max-workers", "max-workers = 8", 4, 10, FRESH_CPU, NONE, rec(12, SCALE_UP_CPU), 8, CAPPED_MAX, CAPPED_PARALLELISM, CAPPED_MAX),
                c("raised to min-workers", "min-workers = 3", 4, 0, FRESH_CPU, NONE, rec(1, SCALE_DOWN_CPU), 3, CAPPED_MIN, CAPPED_MIN),
                c("explicit min wins over the parallelism cap", "min-workers = 4", 3, 2, FRESH_CPU, NONE, rec(6, SCALE_UP_CPU), 4, CAPPED_MIN, CAPPED_PARALLELISM, CAPPED_MIN),
                c("hold below min is raised to min", "min-workers = 3", 2, 0, FRESH_CPU, NONE, rec(2, HOLD_IN_RANGE), 3, CAPPED_MIN, CAPPED_MIN),

                // 3. snap to a divisor of the partitions
                c("snap up to a divisor", "snap-to-partition-divisor = true", 2, 12, FRESH_CPU, NONE, rec(5, SCALE_UP_LAG), 6, SNAPPED_DIVISOR, SNAPPED_DIVISOR),
                c("snap down to a divisor", "snap-to-partition-divisor = true", 10, 12, FRESH_CPU, NONE, rec(5, SCALE_DOWN_LAG), 4, SNAPPED_DIVISOR, SNAPPED_DIVISOR),
                c("snap counts slots", "snap-to-partition-divisor = true\nslots-per-worker = 2", 1, 12, FRESH_CPU, NONE, rec(4, SCALE_UP_LAG), 6, SNAPPED_DIVISOR, SNAPPED_DIVISOR),
                c("already a divisor", "snap-to-partition-divisor = true", 2, 12, FRESH_CPU, NONE, rec(4, SCALE_UP_LAG), 4, SCALE_UP_LAG),
                c("no divisor up to max-workers keeps target", "snap-to-partition-divisor = true\nmax-workers = 10", 2, 12, FRESH_CPU, NONE, rec(7, SCALE_UP_LAG), 7, SCALE_UP_LAG),
                c("no divisor down to min-workers keeps target", "snap-to-partition-divisor = true\nmin-workers = 5", 10, 12, FRESH_CPU, NONE, rec(5, SCALE_DOWN_LAG), 5, SCALE_DOWN_LAG),
                c("no snap when partitions unknown", "snap-to-partition-divisor = true", 2, 0, FRESH_CPU, NONE, rec(5, SCALE_UP_LAG), 5, SCALE_UP_LAG),

                // 1 + 5. signal quality
                c("stale signal holds a scale-down", "", 8, 0, STALE_CPU, NONE, rec(4, SCALE_DOWN_CPU), 8, HOLD_STALE_SIGNALS, HOLD_STALE_SIGNALS),
                c("missing signal holds a scale-down", "", 8, 0, MISSING, NONE, rec(4, SCALE_DOWN_CPU), 8, HOLD_STALE_SIGNALS, HOLD_STALE_SIGNALS),
                c("stale signal may scale up", "", 4, 0, STALE_CPU, NONE, rec(8, SCALE_UP_BACKLOG), 8, SCALE_UP_BACKLOG),
                c("fresh but older than max-signal-age is stale", "", 8, 0, new Measurement(0.5, 301, Quality.FRESH), NONE, rec(4, SCALE_DOWN_CPU), 8, HOLD_STALE_SIGNALS, HOLD_STALE_SIGNALS),
                c("fresh exactly max-signal-age old is fresh", "", 8, 0, new Measurement(0.5, 300, Quality.FRESH), NONE, rec(4, SCALE_DOWN_CPU), 4, SCALE_DOWN_CPU),
                c("missing data never scales down even to max-workers", "max-workers = 6", 8, 0, MISSING, NONE, rec(8, HOLD_IN_RANGE), 8, HOLD_STALE_SIGNALS, CAPPED_MAX, HOLD_STALE_SIGNALS),
                c("insufficient signals hold even against min-workers", "min-workers = 3", 2, 0, FRESH_CPU, NONE, rec(2, HOLD_INSUFFICIENT_SIGNALS), 2, HOLD_INSUFFICIENT_SIGNALS, CAPPED_MIN, HOLD_INSUFFICIENT_SIGNALS),
                c("insufficient signals without bounds change keep the policy's reason", "", 5, 0, MISSING, NONE, rec(5, HOLD_INSUFFICIENT_SIGNALS), 5, HOLD_INSUFFICIENT_SIGNALS),

                // 6. tolerance
                c("inside tolerance", "tolerance = 0.1", 10, 0, FRESH_CPU, NONE, rec(11, SCALE_UP_CPU), 10, HOLD_TOLERANCE, HOLD_TOLERANCE),
                c("exactly at tolerance holds", "tolerance = 0.1", 10, 0, FRESH_CPU, NONE, rec(9, SCALE_DOWN_CPU), 10, HOLD_TOLERANCE, HOLD_TOLERANCE),
                c("outside tolerance", "tolerance = 0.1", 10, 0, FRESH_CPU, NONE, rec(12, SCALE_UP_CPU), 12, SCALE_UP_CPU),
                c("tolerance does not keep a job above max-workers", "tolerance = 0.2\nmax-workers = 10", 11, 0, FRESH_CPU, NONE, rec(11, HOLD_IN_RANGE), 10, CAPPED_MAX, CAPPED_MAX),
                c("tolerance does not keep a job below min-workers", "tolerance = 0.5\nmin-workers = 4", 3, 0, FRESH_CPU, NONE, rec(3, HOLD_IN_RANGE), 4, CAPPED_MIN, CAPPED_MIN),

                // 7. scale-down stabilisation
                c("higher recommendation in window holds", "scale-down-stabilization-window = 15m", 10, 0, FRESH_CPU, samples(sample(5, 10)), rec(6, SCALE_DOWN_CPU), 10, HOLD_STABILIZATION, HOLD_STABILIZATION),
                c("window max between target and current", "scale-down-stabilization-window = 15m", 10, 0, FRESH_CPU, samples(sample(9, 7), sample(5, 8)), rec(6, SCALE_DOWN_CPU), 8, SCALE_DOWN_STABILIZED, SCALE_DOWN_STABILIZED),
                c("samples older than the window are forgotten", "scale-down-stabilization-window = 15m", 10, 0, FRESH_CPU, samples(sample(20, 10)), rec(6, SCALE_DOWN_CPU), 6, SCALE_DOWN_CPU),
                c("lower samples change nothing", "scale-down-stabilization-window = 15m", 10, 0, FRESH_CPU, samples(sample(5, 3)), rec(6, SCALE_DOWN_CPU), 6, SCALE_DOWN_CPU),
                c("window does not slow scale-up", "scale-down-stabilization-window = 15m", 5, 0, FRESH_CPU, samples(sample(5, 20)), rec(8, SCALE_UP_CPU), 8, SCALE_UP_CPU),

                // 8. cooldowns
                c("scale-up inside up cooldown", "scale-up-cooldown = 2m", 4, 0, FRESH_CPU, new GovernorState(ago(1), null, List.of()), rec(8, SCALE_UP_CPU), 4, HOLD_COOLDOWN, HOLD_COOLDOWN),
                c("scale-up cooldown runs from a scale-down too", "scale-up-cooldown = 2m", 4, 0, FRESH_CPU, new GovernorState(ago(30), ago(1), List.of()), rec(8, SCALE_UP_CPU), 4, HOLD_COOLDOWN, HOLD_COOLDOWN),
                c("scale-up exactly at cooldown end", "scale-up-cooldown = 2m", 4, 0, FRESH_CPU, new GovernorState(ago(2), null, List.of()), rec(8, SCALE_UP_CPU), 8, SCALE_UP_CPU),
                c("scale-down inside down cooldown after a scale-up", "scale-down-cooldown = 10m\nscale-up-cooldown = 1m", 8, 0, FRESH_CPU, new GovernorState(ago(5), null, List.of()), rec(4, SCALE_DOWN_CPU), 8, HOLD_COOLDOWN, HOLD_COOLDOWN),
                c("scale-down after down cooldown", "scale-down-cooldown = 10m", 8, 0, FRESH_CPU, new GovernorState(null, ago(10), List.of()), rec(4, SCALE_DOWN_CPU), 4, SCALE_DOWN_CPU),
                c("short up cooldown does not shorten the down one", "scale-down-cooldown = 10m\nscale-up-cooldown = 1m", 8, 0, FRESH_CPU, new GovernorState(null, ago(5), List.of()), rec(12, SCALE_UP_CPU), 12, SCALE_UP_CPU),
                c("last rescale in the future holds (clock skew)", "", 4, 0, FRESH_CPU, new GovernorState(NOW.plusSeconds(3600), null, List.of()), rec(8, SCALE_UP_CPU), 4, HOLD_COOLDOWN, HOLD_COOLDOWN),
                c("cooldown does not touch holds", "scale-up-cooldown = 2m", 4, 0, FRESH_CPU, new GovernorState(ago(1), null, List.of()), rec(4, HOLD_IN_RANGE), 4, HOLD_IN_RANGE),

                // 9. step limits
                c("step up capped", "max-step-up-workers = 3", 4, 0, FRESH_CPU, NONE, rec(10, SCALE_UP_BACKLOG), 7, CAPPED_STEP_UP, CAPPED_STEP_UP),
                c("step up within limit", "max-step-up-workers = 3", 4, 0, FRESH_CPU, NONE, rec(7, SCALE_UP_BACKLOG), 7, SCALE_UP_BACKLOG),
                c("step down capped at half", "max-step-down-fraction = 0.5", 10, 0, FRESH_CPU, NONE, rec(2, SCALE_DOWN_CPU), 5, CAPPED_STEP_DOWN, CAPPED_STEP_DOWN),
                c("step down rounds the removal down", "max-step-down-fraction = 0.5", 5, 0, FRESH_CPU, NONE, rec(1, SCALE_DOWN_CPU), 3, CAPPED_STEP_DOWN, CAPPED_STEP_DOWN),
                c("step down removes at least one worker", "max-step-down-fraction = 0.25", 3, 0, FRESH_CPU, NONE, rec(1, SCALE_DOWN_CPU), 2, CAPPED_STEP_DOWN, CAPPED_STEP_DOWN),
                c("one-worker removal at a tiny fraction", "max-step-down-fraction = 0.1", 2, 0, FRESH_CPU, NONE, rec(1, SCALE_DOWN_CPU), 1, SCALE_DOWN_CPU),
                c("step down survives floating error (100 x 0.29 = 29)", "max-step-down-fraction = 0.29", 100, 0, FRESH_CPU, NONE, rec(1, SCALE_DOWN_CPU), 71, CAPPED_STEP_DOWN, CAPPED_STEP_DOWN),

                // chains
                c("max, stale scale-up, step", "max-workers = 20\nmax-step-up-workers = 4", 10, 0, STALE_CPU, NONE, rec(30, SCALE_UP_BACKLOG), 14, CAPPED_STEP_UP, CAPPED_MAX, CAPPED_STEP_UP),
                c("stabilised then step-capped", "scale-down-stabilization-window = 15m\nmax-step-down-fraction = 0.5", 20, 0, FRESH_CPU, samples(sample(1, 8)), rec(2, SCALE_DOWN_CPU), 10, CAPPED_STEP_DOWN, SCALE_DOWN_STABILIZED, CAPPED_STEP_DOWN),
                c("tolerance hold wins before cooldown", "tolerance = 0.1\nscale-up-cooldown = 2m", 10, 0, FRESH_CPU, new GovernorState(ago(1), null, List.of()), rec(11, SCALE_UP_CPU), 10, HOLD_TOLERANCE, HOLD_TOLERANCE),
                c("snapped then step-capped", "snap-to-partition-divisor = true\nmax-step-up-workers = 2", 2, 12, FRESH_CPU, NONE, rec(5, SCALE_UP_LAG), 4, CAPPED_STEP_UP, SNAPPED_DIVISOR, CAPPED_STEP_UP)
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rule(Case c) {
        DefaultGovernor governor = new DefaultGovernor(Fakes.config(c.config()));
        Signals signals = Signals.builder(JOB, NOW)
                .set(SignalKind.CPU, c.cpu())
                .workers(c.current())
                .parallelism(c.current())
                .maxParallelism(c.maxParallelism())
                .build();
        Decision d = governor.decide(signals, c.rec(), Fakes.ScriptedPolicy.fixed(c.rec(), SignalKind.CPU), c.state(), NOW);

        assertEquals(c.target(), d.targetWorkers(), () -> d.summary());
        assertEquals(c.reason(), d.reason(), () -> d.summary());
        assertEquals(c.codes(), d.adjustments().stream().map(Adjustment::code).toList(), () -> d.summary());
        // The adjustments form a chain from the recommendation to the target.
        int at = c.rec().targetWorkers();
        for (Adjustment a : d.adjustments()) {
            assertEquals(at, a.from(), () -> "chain broken at " + a + " in " + d.summary());
            at = a.to();
        }
        assertEquals(c.target(), at, "last adjustment lands on the target");
        assertEquals(c.current(), d.currentWorkers());
        assertEquals(NOW, d.at());
        // The decision carries the state with this cycle's sample; the rescale itself is added by the loop.
        assertEquals(c.state().lastScaleUpAt(), d.nextState().lastScaleUpAt());
        assertEquals(c.state().lastScaleDownAt(), d.nextState().lastScaleDownAt());
        Sample last = d.nextState().history().get(d.nextState().history().size() - 1);
        assertEquals(NOW, last.at());
    }

    record QualityCase(String name, Measurement cpu, Measurement backlog, Quality expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<QualityCase> qualities() {
        Measurement fresh = Measurement.of(SignalKind.BACKLOG, 100, 5, 60);
        return Stream.of(
                new QualityCase("all fresh", FRESH_CPU, fresh, Quality.FRESH),
                new QualityCase("one stale", STALE_CPU, fresh, Quality.STALE),
                new QualityCase("one missing one stale", STALE_CPU, MISSING, Quality.MISSING),
                new QualityCase("fresh past max age", new Measurement(0.5, 600, Quality.FRESH), fresh, Quality.STALE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("qualities")
    void signalQualityIsTheWorstRequired(QualityCase c) {
        DefaultGovernor governor = new DefaultGovernor(Fakes.config(""));
        Signals signals = Signals.builder(JOB, NOW).set(SignalKind.CPU, c.cpu()).set(SignalKind.BACKLOG, c.backlog())
                .workers(4).build();
        Recommendation r = rec(4, HOLD_IN_RANGE);
        Decision d = governor.decide(signals, r, Fakes.ScriptedPolicy.fixed(r, SignalKind.CPU, SignalKind.BACKLOG), NONE, NOW);
        assertEquals(c.expected(), d.signalQuality());
    }

    @Test
    void signalsThePolicyDoesNotNeedDoNotBlockScaleDown() {
        DefaultGovernor governor = new DefaultGovernor(Fakes.config(""));
        Signals signals = Signals.builder(JOB, NOW).set(SignalKind.CPU, FRESH_CPU).workers(8).build(); // backlog missing
        Recommendation r = rec(4, SCALE_DOWN_CPU);
        Decision d = governor.decide(signals, r, Fakes.ScriptedPolicy.fixed(r, SignalKind.CPU), NONE, NOW);
        assertEquals(4, d.targetWorkers());
        assertEquals(Quality.FRESH, d.signalQuality());
    }

    @Test
    void remembersTheBoundedTargetAndForgetsOldSamples() {
        DefaultGovernor governor = new DefaultGovernor(Fakes.config("max-workers = 8\nscale-down-stabilization-window = 10m"));
        GovernorState state = new GovernorState(ago(30), ago(20), List.of(sample(15, 5), sample(5, 6)));
        Signals signals = Signals.builder(JOB, NOW).set(SignalKind.CPU, FRESH_CPU).workers(4).build();
        Recommendation r = rec(20, SCALE_UP_CPU);
        Decision d = governor.decide(signals, r, Fakes.ScriptedPolicy.fixed(r, SignalKind.CPU), state, NOW);
        assertEquals(List.of(sample(5, 6), new Sample(NOW, 8)), d.nextState().history());
        assertEquals(ago(30), d.stateAfter(false).lastScaleUpAt());
        assertEquals(NOW, d.stateAfter(true).lastScaleUpAt());
        assertEquals(ago(20), d.stateAfter(true).lastScaleDownAt());
    }

    @Test
    void referenceDefaultsAreDeterministic() {
        DefaultGovernor governor = new DefaultGovernor(GovernorSettings.defaults());
        Signals signals = Signals.builder(JOB, NOW).set(SignalKind.CPU, FRESH_CPU).workers(10).build();
        Recommendation r = rec(3, SCALE_DOWN_CPU);
        GovernorState state = samples(sample(3, 9));
        Decision a = governor.decide(signals, r, Fakes.ScriptedPolicy.fixed(r, SignalKind.CPU), state, NOW);
        Decision b = governor.decide(signals, r, Fakes.ScriptedPolicy.fixed(r, SignalKind.CPU), state, NOW);
        assertEquals(a, b);
        // Reference defaults: the dead-band sees 10 -> 3 (70 %), stabilisation lifts it to the window's 9, and
        // the step limit (half of 10) allows removing one worker.
        assertEquals(9, a.targetWorkers());
        assertEquals(SCALE_DOWN_STABILIZED, a.reason());
    }

    @Test
    void rejectsNulls() {
        DefaultGovernor governor = new DefaultGovernor(Fakes.config(""));
        Signals signals = Signals.builder(JOB, NOW).workers(2).build();
        Recommendation r = rec(2, HOLD_IN_RANGE);
        assertThrows(NullPointerException.class, () -> governor.decide(signals, r, Fakes.ScriptedPolicy.fixed(r), null, NOW));
        assertThrows(NullPointerException.class, () -> new DefaultGovernor(null));
    }
}

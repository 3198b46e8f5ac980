package dev.flinkfleet.policies.governor;

import static dev.flinkfleet.policies.ReasonCode.*;
import static dev.flinkfleet.policies.governor.Fakes.rec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.typesafe.config.ConfigException;

import dev.flinkfleet.policies.Adjustment;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/** The governor's excluded periods (no scale-down inside one) and fallback-workers (raise only, after missing signals). */
class ExcludedPeriodsAndFallbackTest {

    /** A Thursday (Quartz day-of-week 5), 12:00 UTC = 13:00 in Berlin. */
    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    static final JobRef JOB = new JobRef("team-a", "enricher");
    static final Measurement FRESH = Measurement.of(SignalKind.CPU, 0.5, 10, 60);
    static final Measurement STALE = new Measurement(0.5, 900, Quality.STALE);
    static final Measurement MISSING = Measurement.missing();

    record Case(String name, String config, int current, Measurement cpu, GovernorState state, Recommendation rec, int target,
                ReasonCode reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static GovernorState missingFor(int minutes) {
        return GovernorState.empty().withSignalsMissing(true, NOW.minus(Duration.ofMinutes(minutes)));
    }

    static final String FALLBACK = "fallback-workers = 6, fallback-after = 15m";

    static Stream<Case> cases() {
        GovernorState none = GovernorState.empty();
        Recommendation down = rec(4, SCALE_DOWN_CPU);
        Recommendation cannot = rec(2, HOLD_INSUFFICIENT_SIGNALS);
        return Stream.of(
                new Case("cron hours cover now: scale-down held", "excluded-periods = [\"* * 11-12 * * ?\"]", 8, FRESH, none, down, 8, HOLD_EXCLUDED_PERIOD),
                new Case("cron hours elsewhere: scale-down goes", "excluded-periods = [\"* * 9-10 * * ?\"]", 8, FRESH, none, down, 4, SCALE_DOWN_CPU),
                new Case("daily range covers now", "excluded-periods = [\"11:30-12:30\"]", 8, FRESH, none, down, 8, HOLD_EXCLUDED_PERIOD),
                new Case("daily range with seconds, ends before now", "excluded-periods = [\"9:30:30-11:59:59\"]", 8, FRESH, none, down, 4, SCALE_DOWN_CPU),
                new Case("daily && Thursday covers a Thursday", "excluded-periods = [\"11:30-12:30 && * * * ? * 5\"]", 8, FRESH, none, down, 8, HOLD_EXCLUDED_PERIOD),
                new Case("daily && Monday does not", "excluded-periods = [\"11:30-12:30 && * * * ? * 2\"]", 8, FRESH, none, down, 4, SCALE_DOWN_CPU),
                new Case("';'-separated entry as the operator writes it", "excluded-periods = [\"* * 3 * * ?;* * 12 * * ?\"]", 8, FRESH, none, down, 8, HOLD_EXCLUDED_PERIOD),
                new Case("read in the configured zone (13:00 in Berlin)", "excluded-periods = [\"* * 13 * * ?\"], excluded-periods-time-zone = Europe/Berlin", 8, FRESH, none, down, 8, HOLD_EXCLUDED_PERIOD),
                new Case("same window in UTC is not now", "excluded-periods = [\"* * 13 * * ?\"]", 8, FRESH, none, down, 4, SCALE_DOWN_CPU),
                new Case("scale-up inside a period goes", "excluded-periods = [\"* * * * * ?\"]", 8, FRESH, none, rec(12, SCALE_UP_CPU), 12, SCALE_UP_CPU),

                new Case("missing longer than fallback-after: raised", FALLBACK, 2, MISSING, missingFor(20), cannot, 6, SCALE_UP_FALLBACK),
                new Case("missing exactly fallback-after: raised", FALLBACK, 2, MISSING, missingFor(15), cannot, 6, SCALE_UP_FALLBACK),
                new Case("missing not long enough: held", FALLBACK, 2, MISSING, missingFor(10), cannot, 2, HOLD_INSUFFICIENT_SIGNALS),
                new Case("first missing cycle: held", FALLBACK, 2, MISSING, none, cannot, 2, HOLD_INSUFFICIENT_SIGNALS),
                new Case("above the fallback: never lowered", FALLBACK, 8, MISSING, missingFor(60), rec(8, HOLD_INSUFFICIENT_SIGNALS), 8, HOLD_INSUFFICIENT_SIGNALS),
                new Case("policy's scale-down on missing data still held, not lowered", FALLBACK, 8, MISSING, missingFor(60), down, 8, HOLD_STALE_SIGNALS),
                new Case("fallback off", "fallback-after = 15m", 2, MISSING, missingFor(60), cannot, 2, HOLD_INSUFFICIENT_SIGNALS),
                new Case("capped at max-workers", FALLBACK + ", max-workers = 4", 2, MISSING, missingFor(20), cannot, 4, SCALE_UP_FALLBACK),
                new Case("scale-up cooldown still applies", FALLBACK + ", scale-up-cooldown = 10m", 2, MISSING,
                        new GovernorState(NOW.minus(Duration.ofMinutes(5)), null, List.of()).withSignalsMissing(true, NOW.minus(Duration.ofMinutes(20))),
                        cannot, 2, HOLD_COOLDOWN),
                new Case("stale is not missing: no fallback", FALLBACK, 2, STALE, missingFor(20), rec(2, HOLD_IN_RANGE), 2, HOLD_IN_RANGE),
                new Case("policy wants more than the fallback: kept", FALLBACK, 2, STALE, none, rec(9, SCALE_UP_CPU), 9, SCALE_UP_CPU));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rule(Case c) {
        DefaultGovernor governor = new DefaultGovernor(Fakes.config(c.config()));
        Signals signals = Signals.builder(JOB, NOW).set(SignalKind.CPU, c.cpu()).workers(c.current()).parallelism(c.current()).build();
        Decision d = governor.decide(signals, c.rec(), Fakes.ScriptedPolicy.fixed(c.rec(), SignalKind.CPU), c.state(), NOW);
        assertEquals(c.target(), d.targetWorkers(), d::summary);
        assertEquals(c.reason(), d.reason(), d::summary);
        if (c.reason() == HOLD_EXCLUDED_PERIOD || c.reason() == SCALE_UP_FALLBACK) {
            Adjustment last = d.adjustments().get(d.adjustments().size() - 1);
            // The explanation says why in words, with the period or the missing-since time.
            assertTrue(last.why().contains(c.reason() == HOLD_EXCLUDED_PERIOD ? "excluded period" : "missing since"), last.why());
        }
        // Safety: missing data never lowers a job.
        if (c.cpu().quality() != Quality.FRESH) {
            assertTrue(d.targetWorkers() >= c.current(), d::summary);
        }
    }

    @Test
    void missingClockStartsOnceAndStopsWhenSignalsReturn() {
        DefaultGovernor governor = new DefaultGovernor(Fakes.config(FALLBACK));
        Recommendation cannot = rec(2, HOLD_INSUFFICIENT_SIGNALS);
        Signals missing = Signals.builder(JOB, NOW).set(SignalKind.CPU, MISSING).workers(2).parallelism(2).build();
        Decision first = governor.decide(missing, cannot, Fakes.ScriptedPolicy.fixed(cannot, SignalKind.CPU), GovernorState.empty(), NOW);
        assertEquals(NOW, first.nextState().missingSince());
        Instant later = NOW.plus(Duration.ofMinutes(5));
        Signals missingLater = Signals.builder(JOB, later).set(SignalKind.CPU, MISSING).workers(2).parallelism(2).build();
        Decision second = governor.decide(missingLater, cannot, Fakes.ScriptedPolicy.fixed(cannot, SignalKind.CPU), first.nextState(), later);
        assertEquals(NOW, second.nextState().missingSince(), "the clock keeps its start");
        Recommendation hold = rec(2, HOLD_IN_RANGE);
        Signals back = Signals.builder(JOB, later).set(SignalKind.CPU, FRESH).workers(2).parallelism(2).build();
        assertNull(governor.decide(back, hold, Fakes.ScriptedPolicy.fixed(hold, SignalKind.CPU), second.nextState(), later).nextState().missingSince());
    }

    @Test
    void missingSinceSurvivesTheStateAnnotation() {
        GovernorState s = missingFor(20);
        assertEquals(s, GovernorState.fromMap(s.toMap()));
        assertNull(GovernorState.fromMap(Map.of("signals-missing-since", "yesterday")).missingSince(), "malformed: the clock restarts (later, never sooner)");
    }

    record Bad(String name, String config, List<String> mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> bad() {
        return Stream.of(
                new Bad("not cron, not daily", "excluded-periods = [\"every monday\"]", List.of("every monday", "excluded-periods")),
                new Bad("two crons joined", "excluded-periods = [\"* * 9 * * ? && * * 10 * * ?\"]", List.of("same kind")),
                new Bad("bad zone", "excluded-periods-time-zone = Mars/Olympus", List.of("excluded-periods-time-zone")),
                new Bad("fallback-after 0", "fallback-after = 0s", List.of("fallback-after")),
                new Bad("negative fallback", "fallback-workers = -1", List.of("fallback-workers")),
                new Bad("all at once", "excluded-periods = [\"nope\"], fallback-workers = -1, excluded-periods-time-zone = Nowhere",
                        List.of("nope", "fallback-workers", "excluded-periods-time-zone")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void badSettingsAreNamed(Bad b) {
        ConfigException e = assertThrows(ConfigException.class, () -> Fakes.config(b.config()));
        for (String m : b.mentions()) {
            assertTrue(e.getMessage().contains(m), () -> m + " not in: " + e.getMessage());
        }
    }
}

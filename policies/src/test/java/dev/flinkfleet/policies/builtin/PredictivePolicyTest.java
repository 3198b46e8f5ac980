package dev.flinkfleet.policies.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.PolicyContext;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.RememberedCapacity;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.policies.TrafficProfile;

/**
 * The predictive policy with its defaults: sla 300 s, restart 60 s, checkpoint 60 s, metrics delay 30 s, control
 * interval 60 s. So latency budget = 300 − 60 − 60 = 180 s, reaction horizon = 30 + 60 + 60 = 150 s, planning
 * horizon = 60 + 300 = 360 s, and a new size drains by 360 + 180 = 540 s. Sizing with level L, input λ, backlog B:
 * B_R = B + max(λ, L) × 60 + λ × 30; c = max(L, B_R / 180, L + B_R / 540). Cold (no profile), B = 0: c = 7/6 λ.
 * Hold test at capacity C: B ≤ 180 C and B + (peak − C) × 150 ≤ 180 C.
 */
class PredictivePolicyTest {

    private static final double NA = Double.NaN;
    private static final ScalingPolicy POLICY = Fixtures.policy("predictive", "");

    /** A signal's age and staleness: fresh (0 s old) or stale (400 s old against a 300 s limit). */
    enum Age { FRESH, STALE }

    record Case(String name, int workers, double input, double throughput, double backlog, double growth, double cpu,
                Age inputAge, Age backlogAge, Double remembered, int expected, ReasonCode reason) {

        Case(String name, int workers, double input, double throughput, double backlog, double cpu, int expected, ReasonCode reason) {
            this(name, workers, input, throughput, backlog, 0, cpu, Age.FRESH, Age.FRESH, null, expected, reason);
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // 4 workers at throughput 1000, CPU 0.5: 500 per worker, C = 2000.
                // holds (input below C); sized 7/6 × 1600 / 500 = 3.73 → 4, not lower
                new Case("below capacity holds", 4, 1600, 1000, 0, 0.5, 4, ReasonCode.HOLD_IN_RANGE),
                // 20 % over C: backlog grows 400 × 150 = 60000 ≤ 360000 in the reaction horizon: absorbed, not chased
                new Case("a burst the buffer absorbs holds", 4, 2400, 1000, 0, 0.5, 4, ReasonCode.HOLD_IN_RANGE),
                // 3000 × 150 = 450000 > 360000: scale up to 7/6 × 5000 / 500 = 11.67 → 12
                new Case("a surge the buffer cannot absorb scales up", 4, 5000, 1000, 0, 0.5, 12, ReasonCode.SCALE_UP_UTILIZATION),
                // B 400000 > 360000; B_R = 400000 + 90000; c = max(1000, 2722.2, 1000 + 907.4) → 5.44 → 6
                new Case("backlog over the budget scales up", 4, 1000, 1000, 400000, 0.5, 6, ReasonCode.SCALE_UP_BACKLOG),
                // B 300000 ≤ 360000 and not growing (input = C): holds although a rescale would size 6
                new Case("backlog within the budget holds", 4, 2000, 1000, 300000, 0.5, 4, ReasonCode.HOLD_IN_RANGE),
                // 10 workers at 1000 / CPU 0.5: 200 per worker, C = 2000. Input 1000: 7/6 × 1000 / 200 → 6; payback
                // (60 × 6 + 1000 × 30 / 200) / 4 = 127.5 s, window 360 s: cold, the forecast is the input: 6
                new Case("a quiet job shrinks", 10, 1000, 1000, 0, 0.5, 6, ReasonCode.SCALE_DOWN_UTILIZATION),
                // 7/6 × 1500 / 200 = 8.75 → 9: one worker saved repays (540 + 225) s, window 825 s
                new Case("one worker saved when it repays", 10, 1500, 1000, 0, 0.5, 9, ReasonCode.SCALE_DOWN_UTILIZATION),
                new Case("no saving holds", 10, 1800, 1000, 0, 0.5, 10, ReasonCode.HOLD_IN_RANGE),
                // never a scale-down on missing or stale input or backlog (each would shrink to 6 fresh)
                new Case("input missing never scales down", 10, NA, 1000, 0, 0, 0.5, Age.FRESH, Age.FRESH, null, 10, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("backlog missing never scales down", 10, 1000, 1000, NA, 0, 0.5, Age.FRESH, Age.FRESH, null, 10, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("input stale never scales down", 10, 1000, 1000, 0, 0, 0.5, Age.STALE, Age.FRESH, null, 10, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("backlog stale never scales down", 10, 1000, 1000, 0, 0, 0.5, Age.FRESH, Age.STALE, null, 10, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                // a missing input is estimated as throughput + growth (1000 + 4000), for a scale-up only
                new Case("input missing estimated for a scale-up", 4, NA, 1000, 0, 4000, 0.5, Age.FRESH, Age.FRESH, null, 12, ReasonCode.SCALE_UP_UTILIZATION),
                new Case("backlog missing still scales up", 4, 5000, 1000, NA, 0, 0.5, Age.FRESH, Age.FRESH, null, 12, ReasonCode.SCALE_UP_UTILIZATION),
                // without a capacity estimate and nothing remembered: hold
                new Case("throughput missing holds", 4, 5000, NA, 0, 0, 0.5, Age.FRESH, Age.FRESH, null, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("throughput zero holds", 4, 5000, 0, 0, 0, 0.5, Age.FRESH, Age.FRESH, null, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                new Case("CPU missing holds", 4, 5000, 1000, 0, 0, NA, Age.FRESH, Age.FRESH, null, 4, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                // remembered 500 per worker: an idle job (fresh zeros) goes to 1; the same with a stale input holds
                new Case("idle job with a remembered capacity shrinks to one", 10, 0, 0, 0, 0, 0, Age.FRESH, Age.FRESH, 500.0, 1, ReasonCode.SCALE_DOWN_UTILIZATION),
                new Case("idle job with a stale input holds", 10, 0, 0, 0, 0, 0, Age.STALE, Age.FRESH, 500.0, 10, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                // restarting (throughput missing) with a remembered 500: a surge of 5000 is sized 12 as above
                new Case("restarting job sizes a surge from memory", 4, 5000, NA, 0, 0, NA, Age.FRESH, Age.FRESH, 500.0, 12, ReasonCode.SCALE_UP_UTILIZATION));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void recommends(Case c) {
        PolicyContext ctx = c.remembered() == null ? PolicyContext.NONE
                : new PolicyContext(new RememberedCapacity(c.remembered(), Fixtures.NOW));
        Recommendation r = POLICY.recommend(signals(c, Fixtures.NOW), ctx);
        assertEquals(c.reason(), r.reason(), r.explanation());
        assertEquals(c.expected(), r.targetWorkers(), r.explanation());
        assertFalse(r.explanation().isBlank());
    }

    static Signals signals(Case c, Instant at) {
        Signals.Builder b = Signals.builder(Fixtures.JOB, at).workers(c.workers()).parallelism(c.workers());
        set(b, SignalKind.INPUT_RATE, c.input(), c.inputAge());
        set(b, SignalKind.THROUGHPUT, c.throughput(), Age.FRESH);
        set(b, SignalKind.BACKLOG, c.backlog(), c.backlogAge());
        set(b, SignalKind.BACKLOG_GROWTH, c.growth(), Age.FRESH);
        set(b, SignalKind.CPU, c.cpu(), Age.FRESH);
        return b.build();
    }

    private static void set(Signals.Builder b, SignalKind k, double v, Age age) {
        b.set(k, Measurement.of(k, v, age == Age.FRESH ? 0 : 400, 300));
    }

    /**
     * Two and a half days of a job whose input steps from 1000 to 5000 events/s at 12:05 every day (until 18:00),
     * sampled every minute up to {@code until}; exact, so the history makes every rise significant.
     */
    static TrafficProfile dailyStep(Instant until) {
        Instant t = Instant.parse("2024-04-29T00:00:00Z");
        TrafficProfile p = TrafficProfile.first(t, rate(t));
        for (t = t.plusSeconds(60); !t.isAfter(until); t = t.plusSeconds(60)) {
            p = p.observe(t, rate(t));
        }
        return p;
    }

    static double rate(Instant t) {
        long s = Math.floorMod(t.getEpochSecond(), 86_400L);
        return s >= 12 * 3600 + 300 && s < 18 * 3600 ? 5000 : 1000;
    }

    record ProfileCase(String name, String at, int workers, double input, int cold, ReasonCode coldReason, int warm,
                       ReasonCode warmReason) {
    }

    static Stream<ProfileCase> profileCases() {
        return Stream.of(
                // 12:03, 4 workers (C = 2000) at 1500: the reaction horizon (to 12:05:30) reaches the 12:05 bucket, 5 ×
                // busier: L = 1501 × 5001 / 1001 − 1 = 7498.0, (7498 − 2000) × 150 > 360000, so scale up before the
                // step: B_R = 7498 × 60 + 1500 × 30 = 494880, c = 7498 + 916.4 → 16.8 → 17 (the profile's fixed point
                // and significance margin take a little off). Cold, 7/6 × 1500 / 500 = 3.5 → 4: hold.
                new ProfileCase("scales up before the daily step", "2024-05-01T12:03:00Z", 4, 1500,
                        4, ReasonCode.HOLD_IN_RANGE, 17, ReasonCode.SCALE_UP_UTILIZATION),
                // 11:55, 10 workers (C = 2000) at 1500: 9 would repay its restart in 765 s, a window (to 12:08:45) that
                // includes the step: hold. Cold, it shrinks to 9.
                new ProfileCase("no scale-down whose payback runs into the step", "2024-05-01T11:55:00Z", 10, 1500,
                        9, ReasonCode.SCALE_DOWN_UTILIZATION, 10, ReasonCode.HOLD_IN_RANGE),
                // 11:50, 10 workers at 1000: 6 repays in 127.5 s, window 360 s (to 11:56): the step is beyond it
                new ProfileCase("a scale-down that repays before the step goes ahead", "2024-05-01T11:50:00Z", 10, 1000,
                        6, ReasonCode.SCALE_DOWN_UTILIZATION, 6, ReasonCode.SCALE_DOWN_UTILIZATION),
                // 18:10, after the evening drop, 10 workers at 1000: the recent past of the window's length (the buckets
                // from 18:00) saw only 1000, and no rise is coming: it shrinks as cold
                new ProfileCase("after the drop it shrinks", "2024-05-01T18:10:00Z", 10, 1000,
                        6, ReasonCode.SCALE_DOWN_UTILIZATION, 6, ReasonCode.SCALE_DOWN_UTILIZATION),
                // 18:03, just after the drop, 10 workers at 1000: the recent past (17:55–18:03) ran at 5000: hold
                new ProfileCase("just after the drop the recent peak holds it", "2024-05-01T18:03:00Z", 10, 1000,
                        6, ReasonCode.SCALE_DOWN_UTILIZATION, 10, ReasonCode.HOLD_IN_RANGE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profileCases")
    void forecastsFromTheLearnedProfile(ProfileCase c) {
        Instant at = Instant.parse(c.at());
        Case s = new Case(c.name(), c.workers(), c.input(), 1000, 0, 0.5, 0, null);
        Signals sig = signals(s, at);
        Recommendation cold = POLICY.recommend(sig, PolicyContext.NONE);
        assertEquals(c.coldReason(), cold.reason(), cold.explanation());
        assertEquals(c.cold(), cold.targetWorkers(), cold.explanation());
        TrafficProfile p = dailyStep(at.minusSeconds(60));
        assertTrue(p.warm());
        Recommendation warm = POLICY.recommend(sig, new PolicyContext(null, p));
        assertEquals(c.warmReason(), warm.reason(), warm.explanation());
        assertEquals(c.warm(), warm.targetWorkers(), warm.explanation());
    }

    @Test
    void explainsTheForecastItUsed() {
        Instant at = Instant.parse("2024-05-01T12:03:00Z");
        Signals sig = signals(new Case("x", 4, 1000, 1000, 0, 0.5, 0, null), at);
        Recommendation r = POLICY.recommend(sig, new PolicyContext(null, dailyStep(at.minusSeconds(60))));
        // 5 × the input, less the profile's fixed point and significance margin (both well under 2 %)
        assertEquals(5000, r.inputs().get("forecast-reaction-peak"), 100);
        assertEquals(5000, r.inputs().get("forecast-peak"), 100);
        assertEquals(5.0, r.inputs().get("forecast-ratio"), 0.1);
        assertEquals(150, r.inputs().get("reaction-horizon"), 1e-9);
        assertEquals(360, r.inputs().get("planning-horizon"), 1e-9);
        assertEquals(180, r.inputs().get("latency-budget"), 1e-9);
        assertEquals(1, r.inputs().get("profile-warm"), 1e-9);
        assertTrue(r.explanation().contains("forecast from the traffic profile"), r.explanation());
        Recommendation down = POLICY.recommend(signals(new Case("x", 10, 1000, 1000, 0, 0.5, 0, null), Fixtures.NOW), PolicyContext.NONE);
        assertEquals(127.5, down.inputs().get("payback-seconds"), 1e-9);
        assertTrue(down.explanation().contains("repay the restart"), down.explanation());
    }

    @Test
    void theSameDecisionAfterTheStateIsStoredAndReadBack() {
        Instant at = Instant.parse("2024-05-01T12:03:00Z");
        Signals sig = signals(new Case("x", 4, 1000, 1000, 0, 0.5, 0, null), at);
        GovernorState state = GovernorState.empty().withProfile(dailyStep(at.minusSeconds(60)))
                .withCapacity(new RememberedCapacity(500, at));
        GovernorState back = GovernorState.fromMap(state.toMap());
        assertEquals(POLICY.recommend(sig, PolicyContext.of(state)), POLICY.recommend(sig, PolicyContext.of(back)));
        assertEquals(ReasonCode.SCALE_UP_UTILIZATION, POLICY.recommend(sig, PolicyContext.of(back)).reason());
    }

    @Test
    void paybackIsTheRestartsWorkerSecondsOverTheWorkersSaved() {
        PredictivePolicy p = (PredictivePolicy) POLICY;
        // (60 × 6 + 1000 × 30 / 200) / (10 − 6)
        assertEquals(127.5, p.paybackSeconds(6, 10, 1000, 200), 1e-9);
        // one worker of ten: (540 + 225) / 1
        assertEquals(765, p.paybackSeconds(9, 10, 1500, 200), 1e-9);
    }

    /** Three days at 2000 events/s, then one five-minute leap to 40000 at 00:10 of the fourth day; minute samples up to {@code until}. */
    static TrafficProfile leapt(Instant until) {
        Instant t = Instant.parse("2024-04-29T00:00:00Z");
        Instant leap = Instant.parse("2024-05-02T00:10:00Z");
        TrafficProfile p = TrafficProfile.first(t, 2000);
        for (t = t.plusSeconds(60); !t.isAfter(until); t = t.plusSeconds(60)) {
            p = p.observe(t, !t.isBefore(leap) && t.isBefore(leap.plusSeconds(300)) ? 40_000 : 2000);
        }
        return p;
    }

    record LeapCase(String name, String at, int expected, ReasonCode reason) {
    }

    static Stream<LeapCase> leapCases() {
        return Stream.of(
                // 20 workers at 2000 (500 per worker); cold it would shrink to 7/6 × 2000 / 500 → 5. 30 minutes after
                // a 20× leap the surprise is exp(ln 20 × e^(−1800/7200)) = 10.3: a leap from 2000 to 20650 must be
                // absorbed for 150 s: (2000 × 90 + 20650 × 150) / (150 + 180) = 9930 → 19.9 → 20 workers: hold
                new LeapCase("right after a leap it stays ready for another", "2024-05-02T00:40:00Z", 20, ReasonCode.HOLD_IN_RANGE),
                // six hours on, exp(ln 20 × e^(−3)) = 1.16: no more than the buffer absorbs anyway; it shrinks as cold
                new LeapCase("hours later it shrinks", "2024-05-02T06:10:00Z", 5, ReasonCode.SCALE_DOWN_UTILIZATION));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leapCases")
    void staysReadyForALeapLikeTheLastOneWhileItIsRecent(LeapCase c) {
        Instant at = Instant.parse(c.at());
        Signals sig = signals(new Case(c.name(), 20, 2000, 2000, 0, 0.2, 0, null), at);
        assertEquals(5, POLICY.recommend(sig, PolicyContext.NONE).targetWorkers());
        Recommendation r = POLICY.recommend(sig, new PolicyContext(null, leapt(at.minusSeconds(60))));
        assertEquals(c.reason(), r.reason(), r.explanation());
        assertEquals(c.expected(), r.targetWorkers(), r.explanation());
        assertTrue(r.inputs().get("surprise") >= 1, r.inputs().toString());
        assertEquals(c.reason() == ReasonCode.HOLD_IN_RANGE, r.explanation().contains("ready for a leap"), r.explanation());
    }
}

package dev.flinkfleet.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TrafficProfileTest {

    static final Instant START = Instant.parse("2024-04-29T00:00:00Z"); // a Monday

    /** {@code days} days of one-minute samples of {@code rate(second of day)} from START. */
    static TrafficProfile learned(double days, DoubleUnaryOperator rate) {
        TrafficProfile p = null;
        for (long s = 0; s < days * 86_400; s += 60) {
            Instant t = START.plusSeconds(s);
            double r = rate.applyAsDouble(Math.floorMod(s, 86_400L));
            p = p == null ? TrafficProfile.first(t, r) : p.observe(t, r);
        }
        return p;
    }

    /** 1000 events/s, 5000 from 08:00 to 18:00. */
    static double workday(double secondOfDay) {
        return secondOfDay >= 8 * 3600 && secondOfDay < 18 * 3600 ? 5000 : 1000;
    }

    record PeakCase(String name, double days, String at, double horizon, double rate, double expected, double tolerance) {
    }

    static Stream<PeakCase> peaks() {
        return Stream.of(
                // less than a day of history: the input itself
                new PeakCase("cold before a day of history", 0.9, "2024-04-29T07:57:00Z", 600, 1000, 1000, 0),
                // two days: at 07:57 the 08:00 bucket is 5 × busier, within a 600 s horizon
                new PeakCase("a known rise within the horizon", 2.33, "2024-05-01T07:57:00Z", 600, 1000, 5000, 100),
                // the same rise beyond the horizon
                new PeakCase("a rise beyond the horizon", 2.33, "2024-05-01T07:50:00Z", 300, 1000, 1000, 1e-9),
                // today's input is twice the usual: the rise scales it (in 1 + rate space)
                new PeakCase("the shape scales today's level", 2.33, "2024-05-01T07:57:00Z", 600, 2000, 2001 * 5001 / 1001.0 - 1, 200),
                // a fall ahead never forecasts below the input
                new PeakCase("never below the input", 2.8, "2024-05-01T17:57:00Z", 600, 5000, 5000, 1e-9));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peaks")
    void forecastsThePeakOverTheHorizon(PeakCase c) {
        TrafficProfile p = learned(c.days(), TrafficProfileTest::workday);
        assertEquals(c.expected(), p.peak(Instant.parse(c.at()), c.horizon(), c.rate()), c.tolerance());
    }

    @Test
    void aRiseOnlyNoiseShowsIsNotForecast() {
        // Two days of noise (log-normal, sd 0.5) around a flat 1000: the busiest coming bucket of noisy means is
        // higher than this one by chance; the two-standard-error margin keeps the forecast at the input.
        Random rnd = new Random(42);
        TrafficProfile p = learned(2.33, s -> 1000 * Math.exp(0.5 * rnd.nextGaussian()));
        int above = 0;
        for (int m = 0; m < 120; m += 5) {
            double f = p.peak(Instant.parse("2024-05-01T08:00:00Z").plusSeconds(m * 60L), 600, 1000);
            above += f > 1000 * 1.3 ? 1 : 0;
        }
        assertEquals(0, above, "forecasts 30 % above a flat input on noise alone");
    }

    @Test
    void highIsTheBucketMeanPlusTwoSpreadsButNeverAboveWhatWasSeen() {
        Instant at = Instant.parse("2024-05-01T01:00:00Z");
        // 1000 always, but 10000 at 01:02 on the first day: one of the bucket's ten samples, so log-mean
        // 6.91 + 0.23, spread 0.69, a high near e^(7.14 + 1.38) = 5000, below the 10000 seen
        TrafficProfile p = TrafficProfile.first(START, 1000);
        for (long s = 60; s < 2.1 * 86_400; s += 60) {
            p = p.observe(START.plusSeconds(s), s == 3720 ? 10000 : 1000);
        }
        double high = p.high(at, 0);
        assertTrue(high > 3000 && high < 8000, "high " + high);
        // alternating 0 and 4000: the zeros spread the log so wide that two deviations would pass 100000; the
        // high stops at the 4000 actually seen
        assertEquals(4000, learned(2.1, s -> ((long) s / 60) % 2 == 0 ? 0 : 4000).high(at, 300), 5);
        // no spread: the high is the mean
        assertEquals(1000, learned(2.1, s -> 1000).high(at, 300), 10);
        assertTrue(Double.isNaN(learned(0.5, s -> 1000).high(Instant.parse("2024-04-29T06:00:00Z"), 300)), "cold: no high");
    }

    @Test
    void recentPeakCoversTheWindowAndForgetsOlderBuckets() {
        TrafficProfile p = TrafficProfile.first(Instant.parse("2024-05-01T10:00:00Z"), 100);
        p = p.observe(Instant.parse("2024-05-01T10:01:00Z"), 9000);
        for (int m = 2; m <= 40; m++) {
            p = p.observe(Instant.parse("2024-05-01T10:00:00Z").plusSeconds(m * 60L), 100);
        }
        Instant now = Instant.parse("2024-05-01T10:40:00Z");
        assertEquals(100, p.recentPeak(now, 600), 1);
        assertEquals(9000, p.recentPeak(now, 2400), 10);
        // a two-hour gap empties the buckets it skipped
        TrafficProfile later = p.observe(Instant.parse("2024-05-01T13:00:00Z"), 50);
        assertEquals(50, later.recentPeak(Instant.parse("2024-05-01T13:00:00Z"), 7200), 1);
        assertTrue(Double.isNaN(p.recentPeak(Instant.parse("2024-05-01T20:00:00Z"), 600)));
    }

    record LearnCase(String name, Measurement input, boolean learns) {
    }

    static Stream<LearnCase> learnCases() {
        return Stream.of(
                new LearnCase("fresh input", Measurement.fresh(SignalKind.INPUT_RATE, 1000), true),
                new LearnCase("fresh zero", Measurement.fresh(SignalKind.INPUT_RATE, 0), true),
                new LearnCase("stale input", Measurement.of(SignalKind.INPUT_RATE, 1000, 400, 300), false),
                new LearnCase("missing input", Measurement.missing(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("learnCases")
    void learnsOnlyFromAFreshMeasuredInput(LearnCase c) {
        Signals s = Signals.builder(new JobRef("a", "b"), START).set(SignalKind.INPUT_RATE, c.input()).build();
        GovernorState before = GovernorState.empty();
        GovernorState after = TrafficProfile.learn(before, s, START);
        if (c.learns()) {
            assertNotNull(after.profile());
        } else {
            assertSame(before, after);
        }
    }

    @Test
    void survivesTheGovernorStateRoundTripWithinAFewKilobytes() {
        Random rnd = new Random(7);
        // five weeks, every bucket and weekday seen, counts at their caps
        TrafficProfile p = learned(35, s -> workday(s) * Math.exp(0.3 * rnd.nextGaussian()));
        GovernorState state = GovernorState.empty().withProfile(p)
                .withCapacity(new RememberedCapacity(812.5, START)).afterScale(START, 2, 4);
        Map<String, String> map = state.toMap();
        String encoded = map.get("traffic-profile");
        assertTrue(encoded.length() <= 4096, "encoded profile is " + encoded.length() + " characters");
        GovernorState back = GovernorState.fromMap(map);
        assertEquals(state, back);
        assertEquals(p.peak(Instant.parse("2024-06-03T07:57:00Z"), 600, 1000),
                back.profile().peak(Instant.parse("2024-06-03T07:57:00Z"), 600, 1000));
        // the encoding does not grow with the history
        assertEquals(encoded.length(), learned(1.5, TrafficProfileTest::workday).encode().length());
    }

    record BadCase(String name, String value) {
    }

    static Stream<BadCase> bad() {
        String good = learned(1.1, TrafficProfileTest::workday).encode();
        return Stream.of(
                new BadCase("not base64", "%%%"),
                new BadCase("truncated", good.substring(0, good.length() / 2)),
                new BadCase("wrong version", "AA" + good.substring(2)),
                new BadCase("empty", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void aMalformedProfileIsDroppedAndTheRestKept(BadCase c) {
        Map<String, String> m = new HashMap<>(GovernorState.empty().afterScale(START, 2, 4).toMap());
        m.put("traffic-profile", c.value());
        GovernorState back = GovernorState.fromMap(m);
        assertNull(back.profile());
        assertEquals(START, back.lastScaleUpAt());
        assertFalse(back.toMap().containsKey("traffic-profile"));
    }

    /** {@code days} of one-minute samples from START: {@code base} events/s, {@code leap} in [leapAt, leapAt + 5 min). */
    static TrafficProfile leapt(double days, double base, double leap, long leapAt, long gapFrom, long gapTo) {
        TrafficProfile p = null;
        for (long s = 0; s < days * 86_400; s += 60) {
            if (s >= gapFrom && s < gapTo) {
                continue;
            }
            double r = s >= leapAt && s < leapAt + 300 ? leap : base;
            Instant t = START.plusSeconds(s);
            p = p == null ? TrafficProfile.first(t, r) : p.observe(t, r);
        }
        return p;
    }

    record SurpriseCase(String name, TrafficProfile profile, String at, double expected, double tolerance) {
    }

    static final long DAY3 = 3 * 86_400L;

    static Stream<SurpriseCase> surprises() {
        double leap = 20_001 / 501.0;
        return Stream.of(
                // the 08:00 step is foreseen once learned: no surprise an hour after it on the fourth day
                new SurpriseCase("a learned daily step is foreseen", learned(3.4, TrafficProfileTest::workday), "2024-05-02T09:00:00Z", 1, 0.05),
                // constant input: nothing leaps
                new SurpriseCase("a flat job", leapt(3.5, 500, 500, 0, 0, 0), "2024-05-02T12:00:00Z", 1, 1e-9),
                // 500 → 20000 in one step: the ratio in 1 + rate space, right after it
                new SurpriseCase("a leap, right after", leapt(DAY3 / 86_400.0 + 0.01, 500, 20_000, DAY3 + 600, 0, 0), "2024-05-02T00:10:00Z", leap, 0.05 * leap),
                // two hours (the decay's time constant) later the log ratio is down to 1/e of itself
                new SurpriseCase("the leap two hours on", leapt(DAY3 / 86_400.0 + 0.1, 500, 20_000, DAY3 + 600, 0, 0), "2024-05-02T02:10:00Z",
                        Math.exp(Math.log(leap) * Math.exp(-1)), 0.05 * leap),
                // a gap in the data tells nothing: the level after it is no leap
                new SurpriseCase("a rise across a data gap", leapt(DAY3 / 86_400.0 + 0.1, 500, 20_000, DAY3 + 1200, DAY3 + 300, DAY3 + 1200),
                        "2024-05-02T00:25:00Z", 1, 1e-9));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("surprises")
    void remembersHowFarTheInputLeaptPastTheForecast(SurpriseCase c) {
        assertEquals(c.expected(), c.profile().surprise(Instant.parse(c.at())), c.tolerance());
        // kept across an encoding
        assertEquals(c.profile(), TrafficProfile.decode(c.profile().encode()));
    }

    @Test
    void aProfileWrittenBeforeTheSurpriseIsReadWithNone() {
        TrafficProfile p = leapt(DAY3 / 86_400.0 + 0.01, 500, 20_000, DAY3 + 600, 0, 0);
        byte[] v2 = java.util.Base64.getDecoder().decode(p.encode());
        byte[] v1 = java.util.Arrays.copyOf(v2, v2.length - 10);
        v1[0] = 1;
        TrafficProfile old = TrafficProfile.decode(java.util.Base64.getEncoder().withoutPadding().encodeToString(v1));
        assertNotNull(old);
        assertEquals(1, old.surprise(Instant.parse("2024-05-02T00:14:00Z")), 1e-9);
        assertEquals(p.peak(Instant.parse("2024-05-02T00:14:00Z"), 600, 500), old.peak(Instant.parse("2024-05-02T00:14:00Z"), 600, 500));
    }
}

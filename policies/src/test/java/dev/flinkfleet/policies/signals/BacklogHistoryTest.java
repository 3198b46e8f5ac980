package dev.flinkfleet.policies.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BacklogHistoryTest {

    static final Duration RATE_WINDOW = Duration.ofSeconds(60);
    static final Duration GROWTH_WINDOW = Duration.ofSeconds(120);
    static final long POLL = 15;
    static final long CHECKPOINT = 60;

    /** One sample: seconds since start, partitions, log-end sum, position sum (null = no commits). */
    record Sample(long t, int partitions, long end, Long position) {
    }

    /** An expected estimate: NaN value = missing; asOf in seconds since start. */
    record Expect(double value, long asOf) {
        static final Expect MISSING = new Expect(Double.NaN, -1);
    }

    record Case(String name, List<Sample> samples, Expect backlog, Expect growth, Expect input, Expect committedRate) {
    }

    /**
     * A Flink-like job: input arrives at {@code in}/s, the job consumes {@code out}/s and commits its position on
     * every checkpoint up to {@code lastCommit} (inclusive); we poll every {@link #POLL} seconds up to {@code until}.
     */
    static List<Sample> job(long in, long out, long lastCommit, long until) {
        List<Sample> s = new ArrayList<>();
        for (long t = 0; t <= until; t += POLL) {
            long checkpoint = Math.min(t / CHECKPOINT * CHECKPOINT, lastCommit / CHECKPOINT * CHECKPOINT);
            long position = Math.min(out * checkpoint, in * checkpoint);
            s.add(new Sample(t, 4, in * t, position));
        }
        return s;
    }

    static long lastCheckpoint(long t) {
        return t / CHECKPOINT * CHECKPOINT;
    }

    static Stream<Case> cases() {
        // Keeping up: the lag saws up between checkpoints, but growth measured between commit points is 0.
        long until = 225;
        long p2 = lastCheckpoint(until);
        List<Sample> keepUp = job(100, 100, Long.MAX_VALUE, until);
        long lagNow = 100 * until - 100 * p2;

        // Falling behind: 100/s in, 80/s out.
        List<Sample> behind = job(100, 80, Long.MAX_VALUE, until);
        long behindLag = 100 * until - 80 * p2;

        // Stalled: commits stop after t=60 while input continues; the plateau outlasts the growth window.
        long stallUntil = 300;
        List<Sample> stalled = job(100, 100, 60, stallUntil);
        long stalledLag = 100 * stallUntil - 100 * 60;

        // Draining: 50/s in, the job catches up from an initial backlog at 150/s.
        List<Sample> draining = new ArrayList<>();
        long backlog0 = 100_000;
        for (long t = 0; t <= until; t += POLL) {
            long cp = lastCheckpoint(t);
            draining.add(new Sample(t, 4, backlog0 + 50 * t, 150 * cp));
        }
        long drainingLag = backlog0 + 50 * until - 150 * p2;

        // Idle and caught up: nothing arrives, position equals the log end.
        List<Sample> idle = new ArrayList<>();
        for (long t = 0; t <= 180; t += POLL) {
            idle.add(new Sample(t, 4, 5_000, 5_000L));
        }

        // History shorter than the growth window.
        List<Sample> young = job(100, 100, Long.MAX_VALUE, 45);

        // Never committed: only input rate is known.
        List<Sample> noCommits = new ArrayList<>();
        for (long t = 0; t <= 90; t += POLL) {
            noCommits.add(new Sample(t, 4, 100 * t, null));
        }

        // Log end goes backwards (topic recreated) at t=150: history restarts there.
        List<Sample> recreated = new ArrayList<>(job(100, 100, Long.MAX_VALUE, 135));
        for (long t = 150; t <= 225; t += POLL) {
            recreated.add(new Sample(t, 4, 10 * (t - 150), 0L));
        }

        // Partition count changes at t=180.
        List<Sample> repartitioned = new ArrayList<>();
        for (Sample s : job(100, 100, Long.MAX_VALUE, until)) {
            repartitioned.add(new Sample(s.t(), s.t() >= 180 ? 6 : 4, s.end(), s.position()));
        }

        return Stream.of(
                new Case("keeping up: sawtooth is not growth", keepUp,
                        new Expect(lagNow, p2), new Expect(0, p2), new Expect(100, until), new Expect(100, p2)),
                new Case("falling behind: growth is in minus out", behind,
                        new Expect(behindLag, p2), new Expect(100 - 80, p2), new Expect(100, until), new Expect(80, p2)),
                new Case("stalled plateau longer than the window: growth is the input rate, aged since the last commit",
                        stalled, new Expect(stalledLag, 60), new Expect(100, 60), new Expect(100, stallUntil), new Expect(0, 60)),
                new Case("draining: negative growth", draining,
                        new Expect(drainingLag, p2), new Expect(50 - 150, p2), new Expect(50, until), new Expect(150, p2)),
                new Case("idle and caught up: exact now", idle,
                        new Expect(0, 180), new Expect(0, 180), new Expect(0, 180), new Expect(0, 180)),
                new Case("history shorter than the window: growth missing, backlog aged from first sight", young,
                        new Expect(100 * 45, 0), Expect.MISSING, Expect.MISSING, Expect.MISSING),
                new Case("no commits: lag missing, input known", noCommits,
                        Expect.MISSING, Expect.MISSING, new Expect(100, 90), Expect.MISSING),
                new Case("log end went backwards: history restarts", recreated,
                        new Expect(10 * (225 - 150), 150), Expect.MISSING, new Expect(10, 225), Expect.MISSING),
                new Case("partition count changed: history restarts", repartitioned,
                        new Expect(100 * until - 100 * p2, p2), Expect.MISSING, Expect.MISSING, Expect.MISSING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void estimates(Case c) {
        BacklogHistory h = new BacklogHistory(64);
        for (Sample s : c.samples()) {
            h.add(at(s.t()), s.partitions(), s.end(), s.position() == null ? OptionalLong.empty() : OptionalLong.of(s.position()));
        }
        BacklogHistory.Estimates e = h.estimate(RATE_WINDOW, GROWTH_WINDOW);
        check("backlog", c.backlog(), e.backlog());
        check("growth", c.growth(), e.growth());
        check("input rate", c.input(), e.inputRate());
        check("committed rate", c.committedRate(), e.committedRate());
    }

    private static void check(String what, Expect expected, BacklogHistory.Estimate actual) {
        if (Double.isNaN(expected.value())) {
            assertTrue(actual.isMissing(), what + " should be missing, got " + actual);
            return;
        }
        assertTrue(!actual.isMissing(), what + " should be present");
        assertEquals(expected.value(), actual.value(), 1e-9, what);
        assertEquals(at(expected.asOf()), actual.asOf(), what + " as of");
    }

    @Test
    void naiveDifferencingWouldSeeGrowthInTheSawtooth() {
        // Guards the premise of the keeping-up case: the raw lag really does rise between checkpoints.
        List<Sample> s = job(100, 100, Long.MAX_VALUE, 45);
        assertTrue(s.get(3).end() - s.get(3).position() > s.get(1).end() - s.get(1).position());
    }

    @Test
    void outOfOrderSampleIsIgnored() {
        BacklogHistory h = new BacklogHistory(8);
        assertEquals(BacklogHistory.Append.APPENDED, h.add(at(30), 1, 100, OptionalLong.of(50)));
        assertEquals(BacklogHistory.Append.IGNORED_OUT_OF_ORDER, h.add(at(30), 1, 200, OptionalLong.of(50)));
        assertEquals(BacklogHistory.Append.IGNORED_OUT_OF_ORDER, h.add(at(15), 1, 200, OptionalLong.of(50)));
        assertEquals(1, h.size());
    }

    @Test
    void committedPositionGoingBackResets() {
        BacklogHistory h = new BacklogHistory(8);
        h.add(at(0), 1, 100, OptionalLong.of(90));
        assertEquals(BacklogHistory.Append.RESET, h.add(at(15), 1, 120, OptionalLong.of(10)));
        assertEquals(1, h.size());
        assertEquals(1, h.resets());
    }

    @Test
    void ringKeepsOnlyTheNewestSamples() {
        BacklogHistory h = new BacklogHistory(4);
        for (int i = 0; i < 10; i++) {
            h.add(at(i * POLL), 1, 100L * i, OptionalLong.of(100L * i));
        }
        assertEquals(4, h.size());
        // Only 45 s of history survive: a 60 s rate window cannot be filled.
        assertTrue(h.estimate(RATE_WINDOW, GROWTH_WINDOW).inputRate().isMissing());
        assertTrue(!h.estimate(Duration.ofSeconds(45), GROWTH_WINDOW).inputRate().isMissing());
    }

    static Instant at(long seconds) {
        return Instant.ofEpochSecond(1_700_000_000L + seconds);
    }
}

package dev.flinkfleet.autoscaler.http;

import static dev.flinkfleet.autoscaler.http.HttpTestSupport.T0;
import static dev.flinkfleet.autoscaler.http.HttpTestSupport.failed;
import static dev.flinkfleet.autoscaler.http.HttpTestSupport.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.Adjustment;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.autoscaler.testing.MutableClock;

class JobBoardTest {

    private static final JobRef A = new JobRef("team-a", "clicks");
    private static final JobRef B = new JobRef("team-b", "fraud");
    private final MutableClock clock = new MutableClock(T0);

    private static Instant t(int cycle) {
        return T0.plusSeconds(30L * cycle);
    }

    /** Feeds one cycle the way the loop does: every onJob, then onCycle. */
    private static void cycle(JobBoard board, Instant now, JobOutcome... outcomes) {
        for (JobOutcome o : outcomes) {
            board.onJob(o);
        }
        board.onCycle(now, List.of(outcomes));
    }

    @Test
    void historyKeepsOnlyTheNewestDistinctDecisionsNewestFirst() {
        JobBoard board = new JobBoard(clock, 3);
        for (int i = 0; i < 5; i++) {
            // Alternating targets so no two neighbours fold together.
            cycle(board, t(i), outcome(A, "payments", t(i), 4, 5 + i, ReasonCode.SCALE_UP_BACKLOG, Actuator.Result.applied("ok")));
        }
        List<JobBoard.DecisionView> ds = board.detail(A).orElseThrow().decisions();
        assertEquals(List.of(9, 8, 7), ds.stream().map(JobBoard.DecisionView::targetWorkers).toList());
        assertEquals(List.of(t(4), t(3), t(2)), ds.stream().map(JobBoard.DecisionView::at).toList());
    }

    @Test
    void repeatedIdenticalVerdictsFoldIntoOneEntryWithCountAndSpan() {
        JobBoard board = new JobBoard(clock, 3);
        cycle(board, t(0), outcome(A, "payments", t(0), 4, 6, ReasonCode.SCALE_UP_BACKLOG, Actuator.Result.applied("ok")));
        for (int i = 1; i <= 10; i++) {
            cycle(board, t(i), outcome(A, "payments", t(i), 6, 6, ReasonCode.HOLD_IN_RANGE, null));
        }
        List<JobBoard.DecisionView> ds = board.detail(A).orElseThrow().decisions();
        assertEquals(2, ds.size(), "the rescale must survive ten quiet holds");
        JobBoard.DecisionView hold = ds.get(0);
        assertEquals(10, hold.repeats());
        assertEquals(t(1), hold.firstAt());
        assertEquals(t(10), hold.at());
        assertEquals("wanted 6 at " + t(10), hold.explanation(), "a run keeps its newest explanation");
        assertEquals(ReasonCode.SCALE_UP_BACKLOG, ds.get(1).reason());
        assertEquals(1, ds.get(1).repeats());
    }

    @Test
    void jobsMissingFromACycleAreRemoved() {
        JobBoard board = new JobBoard(clock);
        cycle(board, t(0), outcome(A, "payments", t(0), 4, 4, ReasonCode.HOLD_IN_RANGE, null),
                outcome(B, "fraud", t(0), 2, 2, ReasonCode.HOLD_IN_RANGE, null));
        assertEquals(2, board.size());
        cycle(board, t(1), outcome(B, "fraud", t(1), 2, 2, ReasonCode.HOLD_IN_RANGE, null));
        assertEquals(1, board.size());
        assertTrue(board.detail(A).isEmpty());
        assertEquals(List.of(B.name()), board.summaries().stream().map(JobBoard.JobSummary::name).toList());
        cycle(board, t(2));
        assertEquals(0, board.size());
    }

    @Test
    void aFailedJobIsHeldWithItsErrorAndKeepsItsLastSignals() {
        JobBoard board = new JobBoard(clock);
        cycle(board, t(0), outcome(A, "payments", t(0), 4, 4, ReasonCode.HOLD_IN_RANGE, null));
        clock.set(t(1));
        cycle(board, t(1), failed(A, "payments", new IllegalStateException("prometheus timed out")));

        JobBoard.JobDetail d = board.detail(A).orElseThrow();
        JobBoard.DecisionView newest = d.decisions().get(0);
        assertEquals(ReasonCode.HOLD_ERROR, newest.reason());
        assertEquals(4, newest.currentWorkers(), "size carried over from the last known signals");
        assertEquals(4, newest.targetWorkers());
        assertEquals(t(1), newest.at(), "no decision time: the clock's");
        assertTrue(newest.error().contains("prometheus timed out"), newest.error());
        assertNull(newest.policyReason());
        assertEquals(Quality.MISSING, newest.signalQuality());
        assertEquals(t(0), d.signals().observedAt(), "signals are the last ones read");

        JobBoard.JobSummary s = board.summaries().get(0);
        assertEquals(ReasonCode.HOLD_ERROR, s.lastReason());
        assertEquals(Quality.MISSING, s.signalQuality());
    }

    record ReasonCase(String name, int current, int target, ReasonCode decided, Actuator.Result result, ReasonCode shown) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ReasonCase> reasonCases() {
        return Stream.of(
                new ReasonCase("hold shows the decision's reason", 4, 4, ReasonCode.HOLD_COOLDOWN, null, ReasonCode.HOLD_COOLDOWN),
                new ReasonCase("applied shows the decision's reason", 4, 8, ReasonCode.SCALE_UP_BACKLOG,
                        Actuator.Result.applied("patched"), ReasonCode.SCALE_UP_BACKLOG),
                new ReasonCase("dry run shows the decision's reason", 8, 4, ReasonCode.SCALE_DOWN_CPU,
                        new Actuator.Result(Actuator.Outcome.DRY_RUN, null, "dry run"), ReasonCode.SCALE_DOWN_CPU),
                new ReasonCase("budget skip shows the actuator's reason", 4, 8, ReasonCode.SCALE_UP_BACKLOG,
                        Actuator.Result.skipped(ReasonCode.HOLD_BUDGET, "budget used"), ReasonCode.HOLD_BUDGET),
                new ReasonCase("failed patch shows the actuator's reason", 4, 8, ReasonCode.SCALE_UP_CPU,
                        new Actuator.Result(Actuator.Outcome.FAILED, ReasonCode.HOLD_ERROR, "409"), ReasonCode.HOLD_ERROR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reasonCases")
    void summaryShowsTheReasonThatActuallyHeld(ReasonCase c) {
        JobBoard board = new JobBoard(clock);
        cycle(board, t(0), outcome(A, "payments", t(0), c.current(), c.target(), c.decided(), c.result()));
        JobBoard.JobSummary s = board.summaries().get(0);
        assertEquals(c.shown(), s.lastReason());
        assertEquals(c.current(), s.currentWorkers());
        assertEquals(c.target(), s.desiredWorkers());
        JobBoard.DecisionView d = board.detail(A).orElseThrow().decisions().get(0);
        assertEquals(c.decided(), d.reason(), "the history keeps the decision's own reason");
        assertEquals(c.result() == null ? null : c.result().outcome(), d.outcome());
    }

    @Test
    void longTextsAreCut() {
        JobBoard board = new JobBoard(clock);
        cycle(board, t(0), failed(A, "payments", new RuntimeException("x".repeat(10_000))));
        String error = board.detail(A).orElseThrow().decisions().get(0).error();
        assertEquals(JobBoard.MAX_TEXT, error.length());
    }

    @Test
    void historySizeMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new JobBoard(clock, 0));
    }

    @Test
    void detailSerialisesToTheDocumentedJsonShape() throws Exception {
        JobBoard board = new JobBoard(clock);
        List<Adjustment> adj = List.of(new Adjustment(ReasonCode.CAPPED_MAX, 12, 10, "max is 10"));
        JobOutcome o = new JobOutcome(HttpTestSupport.plan(A, "payments"), HttpTestSupport.signals(A, t(0), 4),
                HttpTestSupport.decision(A, t(0), 4, 10, ReasonCode.CAPPED_MAX, adj), Actuator.Result.applied("patched"), null);
        cycle(board, t(0), o);

        ObjectMapper json = AdminServer.mapper();
        JsonNode n = json.readTree(json.writeValueAsBytes(board.detail(A).orElseThrow()));
        assertEquals("team-a", n.get("namespace").asText());
        assertEquals("payments", n.get("application").asText());
        assertEquals("backlog-drain", n.get("policy").asText());
        assertEquals(t(0).toString(), n.at("/signals/observedAt").asText());
        assertEquals(1234.0, n.at("/signals/values/backlog/value").asDouble());
        assertEquals(3.0, n.at("/signals/values/backlog/ageSeconds").asDouble());
        assertEquals("FRESH", n.at("/signals/values/backlog/quality").asText());
        assertEquals("STALE", n.at("/signals/values/throughput/quality").asText());
        assertTrue(n.at("/signals/values/watermark-lag/value").isNull(), "missing values are null, not NaN");
        assertEquals("MISSING", n.at("/signals/values/watermark-lag/quality").asText());
        assertTrue(n.at("/policyInputs/cpu").isNull(), "NaN inputs become null");
        JsonNode d = n.at("/decisions/0");
        assertEquals("CAPPED_MAX", d.get("reason").asText());
        assertEquals(10, d.get("policyTargetWorkers").asInt());
        assertEquals("APPLIED", d.get("outcome").asText());
        assertEquals("patched", d.get("outcomeDetail").asText());
        assertEquals("CAPPED_MAX", d.at("/adjustments/0/code").asText());
        assertEquals(12, d.at("/adjustments/0/from").asInt());
        assertEquals(10, d.at("/adjustments/0/to").asInt());
        assertEquals("max is 10", d.at("/adjustments/0/why").asText());
    }

    @Test
    void readersSeeConsistentViewsWhileTheLoopWrites() throws Exception {
        JobBoard board = new JobBoard(clock, 5);
        List<JobRef> refs = new ArrayList<>();
        for (int j = 0; j < 40; j++) {
            refs.add(new JobRef("ns", "job-" + j));
        }
        ObjectMapper json = AdminServer.mapper();
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch readersDone = new CountDownLatch(2);
        for (int r = 0; r < 2; r++) {
            Thread reader = new Thread(() -> {
                try {
                    while (!done.get()) {
                        for (JobBoard.JobSummary s : board.summaries()) {
                            board.detail(new JobRef(s.namespace(), s.name())).ifPresent(d -> {
                                if (d.decisions().isEmpty() || d.decisions().size() > 5) {
                                    throw new AssertionError("history size " + d.decisions().size());
                                }
                                try {
                                    json.writeValueAsBytes(d);
                                } catch (Exception e) {
                                    throw new AssertionError(e);
                                }
                            });
                        }
                        Thread.yield(); // two shared cores: leave the writer room
                    }
                } catch (Throwable t) {
                    errors.add(t);
                } finally {
                    readersDone.countDown();
                }
            });
            reader.setDaemon(true);
            reader.start();
        }
        for (int c = 0; c < 100; c++) {
            // Half the fleet drops out on odd cycles, so removal races with reads too.
            List<JobRef> live = c % 2 == 0 ? refs : refs.subList(0, 20);
            JobOutcome[] os = new JobOutcome[live.size()];
            for (int j = 0; j < live.size(); j++) {
                os[j] = outcome(live.get(j), "app", t(c), 4, 4 + c % 7, ReasonCode.SCALE_UP_BACKLOG, Actuator.Result.applied("ok"));
            }
            cycle(board, t(c), os);
        }
        done.set(true);
        assertTrue(readersDone.await(10, TimeUnit.SECONDS));
        assertTrue(errors.isEmpty(), () -> "reader failed: " + errors.peek());
        assertEquals(20, board.size(), "the last cycle had 20 jobs");
        assertEquals(Set.of(5), Set.copyOf(board.summaries().stream()
                .map(s -> board.detail(new JobRef(s.namespace(), s.name())).orElseThrow().decisions().size()).toList()));
        assertFalse(board.detail(refs.get(39)).isPresent());
    }
}

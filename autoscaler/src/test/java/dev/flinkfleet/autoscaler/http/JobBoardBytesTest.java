package dev.flinkfleet.autoscaler.http;

import static dev.flinkfleet.autoscaler.http.HttpTestSupport.T0;
import static dev.flinkfleet.autoscaler.http.HttpTestSupport.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;

/** The /jobs board is bounded in (estimated) bytes, not entries. */
class JobBoardBytesTest {

    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    /** {@code decisions} distinct decisions for each of {@code jobs} jobs, with an actuator note of {@code noteChars}. */
    private static JobBoard fill(long maxBytes, int jobs, int decisions, int noteChars) {
        JobBoard board = new JobBoard(CLOCK, 1_000, maxBytes);
        String note = "n".repeat(noteChars);
        for (int c = 0; c < decisions; c++) {
            Instant at = T0.plusSeconds(30L * c);
            List<JobOutcome> os = new ArrayList<>();
            for (int j = 0; j < jobs; j++) {
                // A new target every cycle, so no two entries fold together.
                os.add(outcome(new JobRef("ns", "job-" + j), "app", at, 4, 5 + c, ReasonCode.SCALE_UP_BACKLOG, Actuator.Result.applied(note)));
            }
            os.forEach(board::onJob);
            board.onCycle(at, os);
        }
        return board;
    }

    record Case(String name, long maxBytes, int jobs, int decisions, int noteChars, int expectedEntriesPerJob) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        long entry = JobBoard.entryBytes("n".repeat(10), null, 0, true);
        long bigEntry = JobBoard.entryBytes("n".repeat(400), null, 0, true);
        return Stream.of(
                new Case("budget larger than the history: everything kept", 1 << 20, 10, 30, 10, 30),
                new Case("budget for 5 entries a job: the 5 newest kept", 10 * (JobBoard.JOB_BYTES + 5 * entry), 10, 30, 10, 5),
                new Case("same budget, entries 4x the bytes: fewer kept (bytes, not entries)", 10 * (JobBoard.JOB_BYTES + 5 * entry), 10, 30, 400,
                        (int) ((5 * entry) / bigEntry)),
                new Case("budget below one entry a job: the newest is still kept", 100, 10, 30, 10, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void keepsTheNewestEntriesThatFitEachJobsShare(Case c) {
        JobBoard board = fill(c.maxBytes(), c.jobs(), c.decisions(), c.noteChars());
        for (int j = 0; j < c.jobs(); j++) {
            List<JobBoard.DecisionView> ds = board.detail(new JobRef("ns", "job-" + j)).orElseThrow().decisions();
            assertEquals(c.expectedEntriesPerJob(), ds.size(), "entries of job-" + j);
            assertEquals(5 + c.decisions() - 1, ds.get(0).targetWorkers(), "the newest decision is first and kept");
        }
        long oneEntryEach = (long) c.jobs() * (JobBoard.JOB_BYTES + JobBoard.entryBytes("n".repeat(c.noteChars()), null, 0, true));
        assertTrue(board.bytes() <= Math.max(c.maxBytes(), oneEntryEach), board.bytes() + " bytes held, budget " + c.maxBytes());
    }

    @Test
    void jobsThatLeaveGiveTheirBytesBack() {
        JobBoard board = fill(1 << 20, 10, 5, 10);
        assertTrue(board.bytes() > 0);
        board.onCycle(T0.plusSeconds(600), List.of());
        assertEquals(0, board.bytes());
        assertEquals(0, board.size());
    }
}

package dev.flinkfleet.demo.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class JobTimelineTest {

    private static JobTimeline.Sample s(double t, int p, long end, long committed, double processed) {
        return new JobTimeline.Sample(t, p, end, committed, processed);
    }

    @Test
    void backlogIsTheLogEndMinusWhatTheMapTookInAndLatencyTheAgeOfTheOldestWaitingRecord() {
        List<JobTimeline.Point> p = JobTimeline.derive(List.of(
                s(0, 1, 0, 0, 0), s(1, 1, 100, 0, 100), s(2, 1, 200, 100, 150), s(3, 1, 300, 150, 200)));
        assertEquals(0, p.get(1).backlog());
        assertEquals(0, p.get(1).latency());
        assertEquals(50, p.get(2).backlog());
        // Record 150 was written at 1.5 s; at 2 s it has waited 0.5 s.
        assertEquals(0.5, p.get(2).latency(), 1e-9);
        assertEquals(100, p.get(3).backlog());
        assertEquals(1.0, p.get(3).latency(), 1e-9);
    }

    @Test
    void newTasksCountFromTheCommittedOffsetsTheyRestoredFrom() {
        List<JobTimeline.Point> p = JobTimeline.derive(List.of(
                s(0, 1, 0, 0, 0), s(1, 1, 100, 80, 100), s(2, 2, 200, 80, Double.NaN), s(3, 2, 300, 80, 20), s(4, 2, 400, 80, 320)));
        assertEquals(Double.NaN, p.get(2).backlog());
        // Restored at 80 (records 80..99 are replayed): 80 + 20 processed, backlog 200.
        assertEquals(200, p.get(3).backlog());
        assertEquals(0, p.get(4).backlog());
    }
}

package dev.flinkfleet.demo.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The size the real daemon's actions had set at a given second, which the open-loop replay follows. */
class ReplayActionsTest {

    static final List<Outcome.Rescale> ACTIONS = List.of(
            new Outcome.Rescale(68.2, 1, 2), new Outcome.Rescale(83.0, 2, 8), new Outcome.Rescale(148.5, 8, 5));

    @ParameterizedTest
    @CsvSource({
            "0, 1",      // before the first action: the initial size
            "68.1, 1",
            "68.2, 2",   // at the second of the action
            "82.9, 2",
            "83, 8",
            "148, 8",
            "149, 5",
            "1000, 5",   // after the last: the last size
    })
    void followsTheActionsInOrder(double seconds, int workers) {
        assertEquals(workers, Replay.workersAt(ACTIONS, seconds, 1));
    }

    @ParameterizedTest
    @CsvSource({"0, 3", "500, 3"})
    void withoutActionsTheInitialSizeStays(double seconds, int workers) {
        assertEquals(workers, Replay.workersAt(List.of(), seconds, 3));
    }
}

package dev.flinkfleet.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.GovernorState.Sample;

class GovernorStateTest {

    static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    record RoundTrip(String name, GovernorState state) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<RoundTrip> states() {
        return Stream.of(
                new RoundTrip("empty", GovernorState.empty()),
                new RoundTrip("only scale-up", new GovernorState(T, null, List.of())),
                new RoundTrip("only scale-down", new GovernorState(null, T.plusSeconds(5), List.of())),
                new RoundTrip("both and history", new GovernorState(T, T.minusSeconds(600),
                        List.of(new Sample(T.minusSeconds(60), 3), new Sample(T, 12)))),
                new RoundTrip("sub-second scale times", new GovernorState(T.plusMillis(250), T.plusNanos(7), List.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("states")
    void roundTripsThroughAStringMap(RoundTrip c) {
        assertEquals(c.state(), GovernorState.fromMap(c.state().toMap()));
    }

    @Test
    void mapFormatIsStable() {
        // Written into annotations by older daemons: the format must not drift.
        GovernorState s = new GovernorState(T, null, List.of(new Sample(T, 4), new Sample(T.plusSeconds(30), 5)));
        assertEquals(Map.of("last-scale-up", "2026-03-01T10:00:00Z",
                "recommendations", T.getEpochSecond() + ":4," + (T.getEpochSecond() + 30) + ":5"), s.toMap());
        assertTrue(GovernorState.empty().toMap().isEmpty());
    }

    @Test
    void readsLenientlyWhatIsHarmless() {
        GovernorState s = GovernorState.fromMap(Map.of(
                "future-key", "x",
                "last-scale-down", "  ",
                "recommendations", " 200:4 , 100:6 "));
        assertNull(s.lastScaleDownAt());
        assertEquals(List.of(new Sample(Instant.ofEpochSecond(100), 6), new Sample(Instant.ofEpochSecond(200), 4)), s.history(),
                "sorted oldest first");
    }

    record Malformed(String name, String key, String value) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Malformed> malformed() {
        return Stream.of(
                new Malformed("scale-up not an instant", "last-scale-up", "yesterday"),
                new Malformed("scale-down epoch number", "last-scale-down", "1700000000"),
                new Malformed("sample without colon", "recommendations", "100:3,1004"),
                new Malformed("sample time not a number", "recommendations", "abc:3"),
                new Malformed("sample target not a number", "recommendations", "100:three"),
                new Malformed("sample target zero", "recommendations", "100:0"),
                new Malformed("sample target negative", "recommendations", "100:-2"),
                new Malformed("empty sample", "recommendations", "100:3,,200:4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedValuesNameTheKey(Malformed c) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GovernorState.fromMap(Map.of(c.key(), c.value())));
        assertTrue(e.getMessage().contains(c.key()), e::getMessage);
    }

    @Test
    void historyIsBoundedOnRead() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < GovernorState.MAX_HISTORY + 10; i++) {
            sb.append(i == 0 ? "" : ",").append(1000 + i).append(':').append(i + 1);
        }
        GovernorState s = GovernorState.fromMap(Map.of("recommendations", sb.toString()));
        assertEquals(GovernorState.MAX_HISTORY, s.history().size());
        assertEquals(new Sample(Instant.ofEpochSecond(1010), 11), s.history().get(0), "oldest dropped");
    }

    @Test
    void withSampleKeepsTheWindowDropsFutureAndBounds() {
        GovernorState s = new GovernorState(null, null, List.of(
                new Sample(T.minusSeconds(301), 9), // older than the window
                new Sample(T.minusSeconds(300), 8), // exactly at the edge: kept
                new Sample(T.plusSeconds(60), 7))); // after now (clock skew): dropped
        GovernorState next = s.withSample(T, 5, Duration.ofMinutes(5));
        assertEquals(List.of(new Sample(T.minusSeconds(300), 8), new Sample(T, 5)), next.history());

        GovernorState many = GovernorState.empty();
        for (int i = 0; i < GovernorState.MAX_HISTORY * 2; i++) {
            many = many.withSample(T.plusSeconds(i), i + 1, Duration.ofDays(1));
        }
        assertEquals(GovernorState.MAX_HISTORY, many.history().size());
        assertEquals(GovernorState.MAX_HISTORY * 2, many.history().get(GovernorState.MAX_HISTORY - 1).target());
    }

    @Test
    void afterScaleRecordsTheDirection() {
        GovernorState s = new GovernorState(T, T, List.of(new Sample(T, 3)));
        Instant later = T.plusSeconds(90);
        assertEquals(new GovernorState(later, T, s.history()), s.afterScale(later, 3, 5));
        assertEquals(new GovernorState(T, later, s.history()), s.afterScale(later, 5, 3));
        assertSame(s, s.afterScale(later, 4, 4));
    }

    @Test
    void lastScaleAtIsTheLaterOfBoth() {
        assertNull(GovernorState.empty().lastScaleAt());
        assertEquals(T, new GovernorState(T, null, List.of()).lastScaleAt());
        assertEquals(T, new GovernorState(null, T, List.of()).lastScaleAt());
        assertEquals(T.plusSeconds(1), new GovernorState(T, T.plusSeconds(1), List.of()).lastScaleAt());
        assertEquals(T.plusSeconds(1), new GovernorState(T.plusSeconds(1), T, List.of()).lastScaleAt());
    }

    @Test
    void historyIsImmutable() {
        List<Sample> src = new ArrayList<>(List.of(new Sample(T, 2)));
        GovernorState s = new GovernorState(null, null, src);
        src.add(new Sample(T, 3));
        assertEquals(1, s.history().size());
        assertThrows(UnsupportedOperationException.class, () -> s.history().add(new Sample(T, 4)));
    }
}

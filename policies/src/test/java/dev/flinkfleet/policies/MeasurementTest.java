package dev.flinkfleet.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MeasurementTest {

    record Case(String name, SignalKind kind, double value, double age, double staleAfter, Quality expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> classification() {
        double inf = Double.POSITIVE_INFINITY;
        return Stream.of(
                new Case("fresh", SignalKind.CPU, 0.4, 10, 60, Quality.FRESH),
                new Case("zero is a value, not missing", SignalKind.BACKLOG, 0, 0, 60, Quality.FRESH),
                new Case("exactly at the freshness bound", SignalKind.CPU, 0.4, 60, 60, Quality.FRESH),
                new Case("older than the bound", SignalKind.CPU, 0.4, 60.5, 60, Quality.STALE),
                new Case("NaN value", SignalKind.THROUGHPUT, Double.NaN, 0, 60, Quality.MISSING),
                new Case("infinite value", SignalKind.BACKLOG_TIME, inf, 0, 60, Quality.MISSING),
                new Case("negative unsigned", SignalKind.BACKLOG, -1, 0, 60, Quality.MISSING),
                new Case("negative signed growth", SignalKind.BACKLOG_GROWTH, -250, 0, 60, Quality.FRESH),
                new Case("negative age", SignalKind.CPU, 0.4, -1, 60, Quality.MISSING),
                new Case("NaN age", SignalKind.CPU, 0.4, Double.NaN, 60, Quality.MISSING),
                new Case("infinite age", SignalKind.CPU, 0.4, inf, 60, Quality.MISSING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classification")
    void classifies(Case c) {
        Measurement m = Measurement.of(c.kind(), c.value(), c.age(), c.staleAfter());
        assertEquals(c.expected(), m.quality());
        if (c.expected() == Quality.MISSING) {
            assertEquals(Measurement.missing(), m);
            assertEquals(-7, m.orElse(-7));
        } else {
            assertEquals(c.value(), m.value());
            assertEquals(c.value(), m.orElse(-7));
        }
    }

    @Test
    void freshHelperStillRejectsUnusableValues() {
        assertEquals(Quality.FRESH, Measurement.fresh(SignalKind.CPU, 0.9).quality());
        assertEquals(Quality.MISSING, Measurement.fresh(SignalKind.CPU, Double.NaN).quality());
        assertEquals(Quality.MISSING, Measurement.fresh(SignalKind.THROUGHPUT, -3).quality());
    }

    @Test
    void constructorGuardsUsableValues() {
        assertThrows(IllegalArgumentException.class, () -> new Measurement(Double.NaN, 0, Quality.FRESH));
        assertThrows(IllegalArgumentException.class, () -> new Measurement(1, -1, Quality.STALE));
        assertThrows(IllegalArgumentException.class, () -> new Measurement(1, Double.NaN, Quality.FRESH));
        assertThrows(IllegalArgumentException.class, () -> new Measurement(1, 0, null));
    }

    @Test
    void printsForHumans() {
        assertEquals("missing", Measurement.missing().toString());
        assertEquals("12 (3s old)", Measurement.of(SignalKind.BACKLOG, 12, 3, 60).toString());
        assertEquals("0.125 (STALE, 90s old)", Measurement.of(SignalKind.CPU, 0.125, 90, 60).toString());
    }
}

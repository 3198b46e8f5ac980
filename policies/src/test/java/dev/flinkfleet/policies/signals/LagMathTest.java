package dev.flinkfleet.policies.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LagMathTest {

    record Case(String name, long logEnd, Long committed, long logStart, long lag, long position, PartitionLag.Basis basis) {
    }

    static Stream<Case> partitionCases() {
        return Stream.of(
                new Case("behind", 1_000, 400L, 0, 1_000 - 400, 400, PartitionLag.Basis.COMMITTED),
                new Case("caught up", 1_000, 1_000L, 0, 0, 1_000, PartitionLag.Basis.COMMITTED),
                new Case("empty partition", 0, 0L, 0, 0, 0, PartitionLag.Basis.COMMITTED),
                new Case("committed beyond end is clamped and flagged", 1_000, 5_000L, 0, 0, 1_000,
                        PartitionLag.Basis.COMMITTED_AHEAD_OF_END),
                new Case("no commit counts from log start", 1_000, null, 250, 1_000 - 250, 250, PartitionLag.Basis.LOG_START),
                new Case("no commit, log start raced past end", 1_000, null, 1_200, 0, 1_000, PartitionLag.Basis.LOG_START),
                new Case("negative committed means none, counted from 0", 1_000, -1L, 0, 1_000, 0, PartitionLag.Basis.COMMITTED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("partitionCases")
    void partitionLag(Case c) {
        PartitionLag p = LagMath.partition("t", 3, c.logEnd(), c.committed(), c.logStart());
        assertEquals(c.lag(), p.lag(), "lag");
        assertEquals(c.position(), p.position(), "position");
        assertEquals(c.basis(), p.basis(), "basis");
        assertTrue(p.lag() >= 0, "lag is never negative");
    }

    @Test
    void negativeLogEndIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LagMath.partition("orders", 2, -5, 0L, 0));
        assertTrue(e.getMessage().contains("orders-2"), e.getMessage());
    }

    @Test
    void totalsKeepLagEqualToEndMinusPosition() {
        List<PartitionLag> lags = List.of(
                LagMath.partition("t", 0, 100, 40L, 0),
                LagMath.partition("t", 1, 300, 900L, 0),
                LagMath.partition("t", 2, 50, null, 10));
        LagMath.Totals t = LagMath.totals(lags);
        assertEquals((100 - 40) + 0 + (50 - 10), t.totalLag());
        assertEquals(100 + 300 + 50, t.logEndSum());
        assertEquals(t.logEndSum() - t.totalLag(), t.positionSum());
        assertEquals(3, t.partitions());
        assertEquals(1, t.flagged());
    }

    record RateCase(String name, long from, long fromMillis, long to, long toMillis, double expected) {
    }

    static Stream<RateCase> rateCases() {
        return Stream.of(
                new RateCase("rising", 1_000, 0, 4_000, 30_000, (4_000 - 1_000) / 30.0),
                new RateCase("falling", 4_000, 0, 1_000, 10_000, (1_000 - 4_000) / 10.0),
                new RateCase("zero interval", 1, 5_000, 2, 5_000, Double.NaN),
                new RateCase("backwards interval", 1, 5_000, 2, 4_000, Double.NaN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rateCases")
    void rate(RateCase c) {
        assertEquals(c.expected(), LagMath.ratePerSecond(c.from(), c.fromMillis(), c.to(), c.toMillis()), 1e-9);
    }
}

package dev.flinkfleet.autoscaler.http;

import static dev.flinkfleet.autoscaler.http.HttpTestSupport.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import dev.flinkfleet.autoscaler.testing.MutableClock;

class HealthTest {

    private final MutableClock clock = new MutableClock(T0);

    record BadConfig(String name, Duration interval, double multiple) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadConfig> badConfigs() {
        return Stream.of(
                new BadConfig("zero interval", Duration.ZERO, 3),
                new BadConfig("negative interval", Duration.ofSeconds(-1), 3),
                new BadConfig("multiple below one", Duration.ofSeconds(10), 0.5),
                new BadConfig("NaN multiple", Duration.ofSeconds(10), Double.NaN),
                new BadConfig("infinite multiple", Duration.ofSeconds(10), Double.POSITIVE_INFINITY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void rejectsBadSettings(BadConfig c) {
        assertThrows(IllegalArgumentException.class,
                () -> new Health(clock, c.interval(), c.multiple(), () -> true, () -> LeadershipState.LEADER));
    }

    @Test
    void theFirstCycleGetsTheSameGraceFromStartup() {
        Health h = new Health(clock, Duration.ofSeconds(10), 2, () -> true, () -> LeadershipState.LEADER);
        clock.advance(Duration.ofSeconds(20));
        assertTrue(h.liveness().ok());
        clock.advance(Duration.ofMillis(1));
        assertFalse(h.liveness().ok());
    }

    @Test
    void brokenSuppliersReadAsNotReadyButNeverThrow() {
        Health h = new Health(clock, Duration.ofSeconds(10), 2,
                () -> { throw new IllegalStateException("informer gone"); },
                () -> { throw new IllegalStateException("lease api down"); });
        Health.Status r = h.readiness();
        assertFalse(r.ok());
        assertEquals("not ready: informers not synced, leadership unknown", r.detail());
        assertTrue(h.liveness().ok(), "unknown leadership runs no cycles, so it cannot be stale");
    }
}

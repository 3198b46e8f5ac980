package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.autoscaler.kafka.KafkaUnreachableException;
import dev.flinkfleet.autoscaler.testing.MutableClock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

class BackendHealthTest {

    record Case(String name, Throwable error, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> causes() {
        return Stream.of(
                new Case("no cause", new IllegalStateException("closed"), "IllegalStateException: closed"),
                new Case("root cause appended", new KafkaException("Failed to create new KafkaAdminClient",
                        new KafkaException("Failed to load SSL keystore", new UnknownHostException("no-such-host"))),
                        "KafkaException: Failed to create new KafkaAdminClient; cause: UnknownHostException: no-such-host"),
                new Case("execution wrapper skipped", new ExecutionException(new java.util.concurrent.TimeoutException("slow")),
                        "TimeoutException: slow"),
                new Case("cause without message: the deepest one with a message", new RuntimeException("outer",
                        new IllegalArgumentException("bad jaas", new NullPointerException())), "RuntimeException: outer; cause: IllegalArgumentException: bad jaas"),
                new Case("our wrapper speaks for itself", new KafkaUnreachableException("no broker answered: TimeoutException: x",
                        new org.apache.kafka.common.errors.TimeoutException("x"), true), "no broker answered: TimeoutException: x"),
                new Case("null", null, "unknown error"));
    }

    @ParameterizedTest
    @MethodSource("causes")
    void describesTheRootCause(Case c) {
        assertEquals(c.expected(), BackendHealth.describe(c.error()));
    }

    @Test
    void logsOncePerStateChangeAndAgesWhileDown() throws Exception {
        MutableClock clock = new MutableClock(DaemonTestSupport.NOW);
        PrometheusRegistry registry = new PrometheusRegistry();
        DaemonMetrics metrics = new DaemonMetrics(registry);
        try (FaultRecorder rec = new FaultRecorder()) {
            BackendHealth h = new BackendHealth("kafka:eu", "Kafka cluster 'eu'", "daemon.conf:12", clock, metrics);
            assertEquals(BackendHealth.State.UNKNOWN, h.state());
            h.succeeded(0);
            clock.advance(Duration.ofSeconds(30));
            h.succeeded(0);
            for (int i = 0; i < 4; i++) {
                clock.advance(Duration.ofSeconds(30));
                h.failed(new org.apache.kafka.common.errors.TimeoutException("Timed out waiting for a node assignment"));
            }
            assertEquals(BackendHealth.State.DOWN, h.state());
            assertEquals(4, h.consecutiveFailures());
            assertEquals("Kafka cluster 'eu' unavailable: TimeoutException: Timed out waiting for a node assignment", h.unavailableReason().orElseThrow());
            assertEquals(120.0, value(registry, "flinkfleet_backend_last_success_age_seconds"));
            assertEquals(120.0, value(registry, "flinkfleet_signal_age_seconds"));
            assertEquals(0.0, value(registry, "flinkfleet_backend_up"));
            clock.advance(Duration.ofSeconds(15));
            h.refresh();
            assertEquals(135.0, value(registry, "flinkfleet_backend_last_success_age_seconds"), "grows while down");

            h.succeeded(2);
            assertEquals(1.0, value(registry, "flinkfleet_backend_up"));
            assertEquals(0.0, value(registry, "flinkfleet_backend_last_success_age_seconds"));
            assertEquals(2.0, value(registry, "flinkfleet_signal_age_seconds"));
            assertTrue(h.unavailableReason().isEmpty());

            List<String> lines = rec.logLines("Kafka cluster 'eu'");
            assertEquals(3, lines.size(), lines.toString());
            assertEquals("INFO Kafka cluster 'eu' reachable", lines.get(0));
            assertTrue(lines.get(1).startsWith("WARN Kafka cluster 'eu' unavailable (configured at daemon.conf:12): TimeoutException"), lines.get(1));
            assertEquals("INFO Kafka cluster 'eu' recovered after 4 failed read(s), PT1M45S down", lines.get(2));
        }
    }

    @Test
    void anOpenBreakerKeepsTheRealCause() {
        MutableClock clock = new MutableClock(DaemonTestSupport.NOW);
        BackendHealth h = new BackendHealth("prometheus", "Prometheus", null, clock, null);
        h.failed(new IllegalStateException("connection refused"));
        h.failed(io.github.resilience4j.circuitbreaker.CallNotPermittedException.createCallNotPermittedException(
                io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("prometheus")));
        assertEquals("Prometheus unavailable: IllegalStateException: connection refused", h.unavailableReason().orElseThrow());
        assertEquals(2, h.consecutiveFailures());
    }

    private static double value(PrometheusRegistry registry, String name) {
        return registry.scrape().stream().filter(s -> s.getMetadata().getPrometheusName().equals(name))
                .flatMap(s -> s.getDataPoints().stream())
                .mapToDouble(p -> ((io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot) p).getValue())
                .findFirst().orElse(Double.NaN);
    }
}

package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.flinkfleet.autoscaler.kafka.GroupBinding;
import dev.flinkfleet.autoscaler.kafka.KafkaSignalSettings;
import dev.flinkfleet.autoscaler.kafka.KafkaUnreachableException;
import dev.flinkfleet.autoscaler.testing.MutableClock;
import dev.flinkfleet.policies.JobRef;

/** A cluster whose Admin client cannot be built is retried with growing backoff, not on every call. */
class KafkaConnectionTest {

    static final KafkaSignalSettings SETTINGS = new KafkaSignalSettings(Duration.ofSeconds(1), Duration.ofMinutes(5),
            Duration.ofMinutes(1), Duration.ofMinutes(2), 64, Duration.ofMinutes(3));

    @Test
    void failedCreationIsRetriedAfterBackoffThatGrows() {
        MutableClock clock = new MutableClock(DaemonTestSupport.NOW);
        DaemonSettings.KafkaCluster cluster = new DaemonSettings.KafkaCluster("bad", Map.of("bootstrap.servers", "garbage"), "daemon.conf:3");
        try (KafkaConnection c = new KafkaConnection(cluster, SETTINGS, clock)) {
            RuntimeException first = c.connect();
            assertNotNull(first);
            assertTrue(first.getMessage().contains("Invalid url in bootstrap.servers: garbage"), first.getMessage());
            Map<JobRef, GroupBinding> jobs = Map.of(new JobRef("ns", "j"), GroupBinding.of("g", "t"));
            long deadline = System.nanoTime() + 1_000_000_000L;

            assertSame(first, assertThrows(KafkaUnreachableException.class, () -> c.read(jobs, deadline)), "within the backoff: not tried again");
            clock.advance(Duration.ofSeconds(5));
            RuntimeException second = c.connect();
            assertNotSame(first, second, "tried again after 5 s");
            clock.advance(Duration.ofSeconds(5));
            assertSame(second, c.connect(), "the backoff doubled to 10 s");
            clock.advance(Duration.ofSeconds(5));
            assertNotSame(second, c.connect());
        }
    }
}

package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.InMemoryStateStore;
import dev.flinkfleet.policies.JobRef;

class RoutedStateStoreTest {

    @Test
    void flinkRestJobsKeepTheirStateInMemoryAndOthersInTheirStore() throws Exception {
        JobRef rest = new JobRef("sessions", "orders");
        JobRef deployment = new JobRef("streaming", "orders");
        InMemoryStateStore memory = new InMemoryStateStore();
        InMemoryStateStore annotations = new InMemoryStateStore();
        RoutedStateStore store = new RoutedStateStore(Set.of(rest)::contains, memory, annotations);
        GovernorState scaled = new GovernorState(Instant.parse("2026-11-30T06:00:00Z"), null, List.of());
        GovernorState other = new GovernorState(null, Instant.parse("2026-11-30T05:00:00Z"), List.of());

        store.save(rest, scaled);
        store.save(deployment, other);

        assertEquals(scaled, memory.load(rest));
        assertEquals(GovernorState.empty(), annotations.load(rest));
        assertEquals(other, annotations.load(deployment));
        assertEquals(GovernorState.empty(), memory.load(deployment));
        assertEquals(scaled, store.load(rest));
        assertEquals(other, store.load(deployment));
    }
}

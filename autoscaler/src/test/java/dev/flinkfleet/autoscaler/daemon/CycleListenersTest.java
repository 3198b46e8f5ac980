package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;

class CycleListenersTest {

    /** Records what it is called with, tagged with its name. */
    record Recording(String name, List<String> calls) implements CycleListener {
        @Override
        public void onJob(JobOutcome o) {
            calls.add(name + ":job " + o.plan().job().name());
        }

        @Override
        public void onSourceFailure(Instant now, Exception error) {
            calls.add(name + ":source " + error.getMessage());
        }

        @Override
        public void onCycle(Instant now, List<JobOutcome> outcomes) {
            calls.add(name + ":cycle " + outcomes.size());
        }
    }

    @Test
    void everyListenerIsCalledInOrderAndOneThatThrowsStopsNoOther() {
        List<String> calls = new ArrayList<>();
        CycleListener throwing = new CycleListener() {
            @Override
            public void onJob(JobOutcome o) {
                throw new IllegalStateException("broken");
            }

            @Override
            public void onCycle(Instant now, List<JobOutcome> outcomes) {
                throw new IllegalStateException("broken");
            }
        };
        CycleListeners fanOut = new CycleListeners(List.of(new Recording("a", calls), throwing, new Recording("b", calls)));
        fanOut.add(new Recording("added", calls));
        JobOutcome o = DaemonTestSupport.outcome(new JobRef("ns", "j"), "app", 2, 4, ReasonCode.SCALE_UP_BACKLOG, Actuator.Result.applied("ok"));

        fanOut.onJob(o);
        fanOut.onSourceFailure(DaemonTestSupport.NOW, new RuntimeException("kafka down"));
        fanOut.onCycle(DaemonTestSupport.NOW, List.of(o));

        assertEquals(List.of("a:job j", "b:job j", "added:job j",
                "a:source kafka down", "b:source kafka down", "added:source kafka down",
                "a:cycle 1", "b:cycle 1", "added:cycle 1"), calls);
    }
}

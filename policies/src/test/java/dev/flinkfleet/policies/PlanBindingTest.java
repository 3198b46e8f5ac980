package dev.flinkfleet.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.flinkfleet.policies.governor.Fakes;
import dev.flinkfleet.policies.governor.Fakes.ManualClock;
import dev.flinkfleet.policies.governor.Fakes.ScriptedPolicy;

/** Each job's binding travels with its plan: the loop hands the plan itself to the source and the actuator. */
class PlanBindingTest {

    record Wiring(String cluster, int workers) {
    }

    @Test
    void theSourceAndTheActuatorReadEachJobsBindingFromItsPlan() {
        List<Object> seenBySource = new ArrayList<>();
        List<ActuationMode> seenByActuator = new ArrayList<>();
        SignalSource source = new SignalSource() {
            @Override
            public Map<JobRef, Signals> collect(Collection<JobRef> jobs, Instant now) {
                throw new AssertionError("the loop must hand over the plans");
            }

            @Override
            public Map<JobRef, Signals> collect(List<JobPlan> plans, Instant now) {
                Map<JobRef, Signals> out = new LinkedHashMap<>();
                for (JobPlan p : plans) {
                    Wiring w = p.wiring(Wiring.class);
                    seenBySource.add(w);
                    Signals.Builder b = Signals.builder(p.job(), now).workers(w.workers());
                    for (SignalKind k : SignalKind.values()) {
                        b.fresh(k, 1);
                    }
                    out.put(p.job(), b.build());
                }
                return out;
            }
        };
        Actuator actuator = new Actuator() {
            @Override
            public Result apply(Decision decision) {
                throw new AssertionError("the loop must hand over the plan");
            }

            @Override
            public Result apply(JobPlan plan, Decision decision) {
                seenByActuator.add(plan.mode());
                return Result.applied("ok");
            }
        };
        ScalingPolicy up = new ScriptedPolicy(Set.of(), s -> Fakes.rec(s.currentWorkers() + 1, ReasonCode.SCALE_UP_BACKLOG));
        Governor pass = (s, r, p, st, now) -> new Decision(s.job(), now, s.currentWorkers(), r.targetWorkers(), r, r.reason(), List.of(),
                Quality.FRESH, st);
        JobPlan a = new JobPlan(new JobRef("ns", "a"), "app", up, pass, ActuationMode.JOB_PARALLELISM, new Wiring("eu", 2));
        JobPlan b = new JobPlan(new JobRef("ns", "b"), "app", up, pass, ActuationMode.VERTEX_OVERRIDES, new Wiring("us", 5));
        ControlLoop loop = new ControlLoop(new ManualClock(Instant.parse("2026-01-01T00:00:00Z")), source,
                new FleetBudgetActuator(actuator, new FleetBudget(10, java.time.Duration.ofMinutes(1), new ManualClock(Instant.EPOCH))),
                new InMemoryStateStore(), CycleListener.NONE);

        List<JobOutcome> out = loop.runCycle(List.of(a, b));

        assertEquals(List.of(new Wiring("eu", 2), new Wiring("us", 5)), seenBySource);
        // Most urgent first: a (2 -> 3) before b (5 -> 6); the budget passes the plan on.
        assertEquals(List.of(ActuationMode.JOB_PARALLELISM, ActuationMode.VERTEX_OVERRIDES), seenByActuator);
        assertSame(a, out.get(0).plan());
        assertNull(a.wiring(String.class), "a wiring of another type is not this source's");
    }
}

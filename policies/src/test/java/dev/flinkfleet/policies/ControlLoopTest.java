package dev.flinkfleet.policies;

import static dev.flinkfleet.policies.governor.Fakes.rec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.flinkfleet.policies.governor.DefaultGovernor;
import dev.flinkfleet.policies.governor.Fakes;
import dev.flinkfleet.policies.governor.Fakes.ManualClock;
import dev.flinkfleet.policies.governor.Fakes.ScriptedPolicy;

class ControlLoopTest {

    static final Instant T0 = Instant.parse("2026-02-01T08:00:00Z");

    /** Serves the workers it is told about, with every signal fresh; can drop jobs or fail as a whole. */
    static final class FakeSource implements SignalSource {
        final Map<JobRef, Integer> workers = new HashMap<>();
        final Set<JobRef> omit = new java.util.HashSet<>();
        RuntimeException failure;
        final List<Instant> calls = new ArrayList<>();

        @Override
        public Map<JobRef, Signals> collect(Collection<JobRef> jobs, Instant now) {
            calls.add(now);
            if (failure != null) {
                throw failure;
            }
            Map<JobRef, Signals> m = new LinkedHashMap<>();
            for (JobRef j : jobs) {
                if (!omit.contains(j)) {
                    Signals.Builder b = Signals.builder(j, now).workers(workers.getOrDefault(j, 1));
                    for (SignalKind k : SignalKind.values()) {
                        b.fresh(k, 1);
                    }
                    m.put(j, b.build());
                }
            }
            return m;
        }
    }

    /** Records the order of calls; answers per job with a scripted result or exception, else applies. */
    static final class RecordingActuator implements Actuator {
        final FakeSource source;
        final List<JobRef> calls = new ArrayList<>();
        final Map<JobRef, Function<Decision, Result>> script = new HashMap<>();

        RecordingActuator(FakeSource source) {
            this.source = source;
        }

        @Override
        public Result apply(Decision d) {
            calls.add(d.job());
            Result r = script.getOrDefault(d.job(), x -> Result.applied("ok")).apply(d);
            if (r != null && r.applied()) {
                source.workers.put(d.job(), d.targetWorkers());
            }
            return r;
        }
    }

    static final class RecordingListener implements CycleListener {
        final List<JobOutcome> jobs = new ArrayList<>();
        final List<Exception> sourceFailures = new ArrayList<>();
        int cycles;

        @Override
        public void onJob(JobOutcome outcome) {
            jobs.add(outcome);
        }

        @Override
        public void onSourceFailure(Instant now, Exception error) {
            sourceFailures.add(error);
        }

        @Override
        public void onCycle(Instant now, List<JobOutcome> outcomes) {
            cycles++;
        }
    }

    final ManualClock clock = new ManualClock(T0);
    final FakeSource source = new FakeSource();
    final RecordingActuator actuator = new RecordingActuator(source);
    final InMemoryStateStore store = new InMemoryStateStore();
    final RecordingListener listener = new RecordingListener();
    final ControlLoop loop = new ControlLoop(clock, source, actuator, store, listener);
    final Governor governor = new DefaultGovernor(Fakes.config("scale-up-cooldown = 2m\nscale-down-cooldown = 5m"));

    static JobRef job(String name) {
        return new JobRef("ns", name);
    }

    /** A job at {@code current} workers whose policy always wants {@code target}. */
    JobPlan plan(String name, int current, int target) {
        source.workers.put(job(name), current);
        ReasonCode reason = target > current ? ReasonCode.SCALE_UP_BACKLOG : target < current ? ReasonCode.SCALE_DOWN_CPU : ReasonCode.HOLD_IN_RANGE;
        return new JobPlan(job(name), "app", ScriptedPolicy.fixed(rec(target, reason), SignalKind.CPU), governor);
    }

    @Test
    void oneFailingJobDoesNotStopTheOthers() {
        JobPlan throwing = new JobPlan(job("a-throws"), "app", new ScriptedPolicy(Set.of(), s -> {
            throw new IllegalStateException("policy bug");
        }), governor);
        source.workers.put(job("a-throws"), 3);
        JobPlan fine = plan("b-fine", 4, 6);
        JobPlan absent = plan("c-absent", 2, 5);
        source.omit.add(job("c-absent"));

        List<JobOutcome> out = loop.runCycle(List.of(throwing, fine, absent));

        assertEquals(List.of(throwing, fine, absent), out.stream().map(JobOutcome::plan).toList(), "plan order kept");
        assertTrue(out.get(0).failed());
        assertNull(out.get(0).decision());
        assertEquals("policy bug", out.get(0).error().getMessage());
        assertTrue(out.get(2).failed());
        assertTrue(out.get(2).error().getMessage().contains("ns/c-absent"), out.get(2).error().getMessage());
        assertTrue(out.get(1).applied());
        assertEquals(List.of(job("b-fine")), actuator.calls);
        assertSame(GovernorState.empty(), store.load(job("a-throws")), "a failed job's state is left alone");
        assertSame(GovernorState.empty(), store.load(job("c-absent")));
        assertEquals(3, listener.jobs.size());
        assertEquals(1, listener.cycles);
    }

    @Test
    void sourceFailureHoldsEveryone() {
        source.failure = new IllegalStateException("prometheus down");
        List<JobPlan> plans = List.of(plan("a", 1, 9), plan("b", 9, 1));

        List<JobOutcome> out = loop.runCycle(plans);

        assertEquals(2, out.size());
        for (JobOutcome o : out) {
            assertTrue(o.failed());
            assertNull(o.decision());
            assertNull(o.signals());
            assertSame(source.failure, o.error());
        }
        assertTrue(actuator.calls.isEmpty());
        assertEquals(List.of(source.failure), listener.sourceFailures);
        assertEquals(2, listener.jobs.size());
        assertEquals(1, listener.cycles);
        assertSame(GovernorState.empty(), store.load(job("a")));
    }

    @Test
    void actuatesMostUrgentFirst() {
        List<JobPlan> plans = List.of(
                plan("a-up-a-little", 4, 5),   // urgency 1 + 5/4 = 2.25
                plan("b-starving", 2, 8),      // 1 + 8/2 = 5
                plan("c-shrink-half", 10, 5),  // 1 - 5/10 = 0.5
                plan("d-shrink-one", 10, 9),   // 1 - 9/10 = 0.1
                plan("e-hold", 3, 3),          // not actuated
                plan("f-starving-too", 1, 4)); // 1 + 4/1 = 5, tie with b: job name order

        List<JobOutcome> out = loop.runCycle(plans);

        assertEquals(List.of(job("b-starving"), job("f-starving-too"), job("a-up-a-little"), job("c-shrink-half"), job("d-shrink-one")),
                actuator.calls);
        assertEquals(plans, out.stream().map(JobOutcome::plan).toList(), "outcomes stay in plan order");
        assertNull(out.get(4).result(), "a hold is not actuated");
    }

    @Test
    void stateRemembersTheRescaleOnlyWhenApplied() {
        actuator.script.put(job("skipped"), d -> Actuator.Result.skipped(ReasonCode.HOLD_BUDGET, "budget"));
        actuator.script.put(job("dry"), d -> new Actuator.Result(Actuator.Outcome.DRY_RUN, null, "dry run"));
        List<JobPlan> plans = List.of(plan("up", 2, 4), plan("down", 8, 4), plan("skipped", 2, 4), plan("dry", 2, 4), plan("hold", 3, 3));

        loop.runCycle(plans);

        assertEquals(T0, store.load(job("up")).lastScaleUpAt());
        assertNull(store.load(job("up")).lastScaleDownAt());
        assertEquals(T0, store.load(job("down")).lastScaleDownAt());
        for (String name : List.of("skipped", "dry", "hold")) {
            GovernorState s = store.load(job(name));
            assertNull(s.lastScaleAt(), name);
            assertEquals(List.of(new GovernorState.Sample(T0, name.equals("hold") ? 3 : 4)), s.history(), name + " keeps the sample");
        }
    }

    @Test
    void actuatorFailureIsIsolated() {
        actuator.script.put(job("a-throws"), d -> {
            throw new IllegalStateException("api server said no");
        });
        actuator.script.put(job("b-null"), d -> null);
        List<JobPlan> plans = List.of(plan("a-throws", 1, 10), plan("b-null", 1, 9), plan("c-fine", 1, 2));

        List<JobOutcome> out = loop.runCycle(plans);

        assertEquals(3, actuator.calls.size(), "every job was tried");
        for (JobOutcome o : out.subList(0, 2)) {
            assertEquals(Actuator.Outcome.FAILED, o.result().outcome());
            assertEquals(ReasonCode.HOLD_ERROR, o.result().reason());
            assertTrue(o.failed());
            assertFalse(o.applied());
            assertSame(GovernorState.empty(), store.load(o.plan().job()), "nothing remembered for a failed actuation");
        }
        assertTrue(out.get(2).applied());
        assertEquals(T0, store.load(job("c-fine")).lastScaleUpAt());
    }

    @Test
    void cooldownCarriesAcrossCyclesThroughTheStore() {
        List<JobPlan> plans = List.of(plan("grow", 2, 4));
        assertTrue(loop.runCycle(plans).get(0).applied());

        // The policy now wants 8; the governor's 2 min scale-up cooldown holds it, then lets it through.
        List<JobPlan> more = List.of(new JobPlan(job("grow"), "app", ScriptedPolicy.fixed(rec(8, ReasonCode.SCALE_UP_BACKLOG), SignalKind.CPU), governor));
        clock.advance(Duration.ofMinutes(1));
        JobOutcome held = loop.runCycle(more).get(0);
        assertEquals(ReasonCode.HOLD_COOLDOWN, held.decision().reason());
        assertEquals(4, held.decision().targetWorkers());

        clock.advance(Duration.ofMinutes(1));
        JobOutcome grown = loop.runCycle(more).get(0);
        assertEquals(8, grown.decision().targetWorkers());
        assertTrue(grown.applied());
        assertEquals(List.of(T0, T0.plusSeconds(60), T0.plusSeconds(120)), source.calls, "one clock read per cycle, handed to the source");
        assertEquals(T0.plusSeconds(120), grown.decision().at());
        assertEquals(8, source.workers.get(job("grow")));
    }

    @Test
    void theLoopLearnsTheCapacityKeepsItThroughARescaleAndHandsItToThePolicy() {
        List<PolicyContext> seen = new ArrayList<>();
        ScalingPolicy remembering = new ScalingPolicy() {
            @Override
            public String name() {
                return "remembering";
            }

            @Override
            public Set<SignalKind> requiredSignals() {
                return Set.of(SignalKind.CPU);
            }

            @Override
            public Recommendation recommend(Signals s) {
                throw new AssertionError("the loop passes the context");
            }

            @Override
            public Recommendation recommend(Signals s, PolicyContext ctx) {
                seen.add(ctx);
                return rec(4, ReasonCode.SCALE_UP_BACKLOG);
            }
        };
        // Every signal is a fresh 1 (FakeSource): at 2 workers, 1 / (1 × 2) = 0.5 events/s per worker.
        source.workers.put(job("j"), 2);
        JobPlan p = new JobPlan(job("j"), "app", remembering, governor);

        loop.runCycle(List.of(p));
        assertEquals(0.5, seen.get(0).capacity().perWorker(), 1e-12, "this cycle's sample is seen at once");
        GovernorState after = store.load(job("j"));
        assertEquals(4, source.workers.get(job("j")), "rescaled");
        assertEquals(0.5, after.capacity().perWorker(), 1e-12, "kept through the rescale");

        // Right after the rescale the signals (1 at 4 workers) would say 0.25: settling, so not learned.
        clock.advance(Duration.ofSeconds(30));
        loop.runCycle(List.of(p));
        assertEquals(0.5, seen.get(1).capacity().perWorker(), 1e-12);
        assertEquals(T0, store.load(job("j")).capacity().learnedAt());
    }
}

package dev.flinkfleet.autoscaler.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.Governor;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobPlan;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.autoscaler.testing.MutableClock;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

@EnableKubernetesMockClient(crud = true)
class EventRecorderTest {

    static KubernetesClient client;

    private static final JobRef JOB = new JobRef("payments", "enricher");

    /** Never called: the recorder only reads the plan's job. */
    private static final ScalingPolicy POLICY = new ScalingPolicy() {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public Set<SignalKind> requiredSignals() {
            return Set.of();
        }

        @Override
        public Recommendation recommend(Signals signals) {
            throw new AssertionError();
        }
    };
    private static final Governor GOVERNOR = (s, r, p, st, now) -> {
        throw new AssertionError();
    };
    private static final JobPlan PLAN = new JobPlan(JOB, "payments", POLICY, GOVERNOR);

    private static JobOutcome held(ReasonCode reason) {
        return new JobOutcome(PLAN, signals(), TestDecisions.hold(JOB, 3, reason), null, null);
    }

    private static JobOutcome acted(Decision d, Actuator.Result r) {
        return new JobOutcome(PLAN, signals(), d, r, null);
    }

    private static Signals signals() {
        return Signals.builder(JOB, TestDecisions.AT).fresh(SignalKind.BACKLOG, 90_000).fresh(SignalKind.BACKLOG_TIME, 300)
                .fresh(SignalKind.THROUGHPUT, 300).fresh(SignalKind.CPU, 0.95).workers(3).parallelism(6).build();
    }

    private List<Event> events() {
        return client.v1().events().inNamespace(JOB.namespace()).list().getItems().stream()
                .sorted(Comparator.comparing(Event::getFirstTimestamp).thenComparing(e -> e.getMetadata().getName())).toList();
    }

    @Test
    void oneEventPerScaleAndPerChangeOfHoldReason() {
        FlinkDeploymentView view = FlinkDeploymentView.of(FlinkDeploymentFixtures.deployment(JOB.namespace(), JOB.name()).build());
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
        EventRecorder rec = new EventRecorder(client, clock, "flinkfleet-0", j -> j.equals(JOB) ? view : null);

        List<JobOutcome> cycles = List.of(
                held(ReasonCode.HOLD_IN_RANGE),        // first sight, in range: nothing to say
                held(ReasonCode.HOLD_COOLDOWN),        // 1
                held(ReasonCode.HOLD_COOLDOWN),        // same reason: deduped
                acted(TestDecisions.scale(JOB, 3, 5), Actuator.Result.applied("set spec.taskManager.replicas")), // 2
                held(ReasonCode.HOLD_COOLDOWN),        // 3: first hold after a scale
                acted(TestDecisions.scale(JOB, 5, 7), Actuator.Result.skipped(ReasonCode.HOLD_UNSAFE_STATE, "job state is RESTARTING")), // 4
                acted(TestDecisions.scale(JOB, 5, 7), Actuator.Result.skipped(ReasonCode.HOLD_UNSAFE_STATE, "job state is RESTARTING")),
                new JobOutcome(PLAN, null, null, null, new IllegalArgumentException("annotation malformed")), // 5
                held(ReasonCode.HOLD_IN_RANGE));       // 6: back in range is a change
        for (JobOutcome o : cycles) {
            rec.onJob(o);
            clock.advance(java.time.Duration.ofSeconds(30));
        }

        List<Event> events = events();
        assertEquals(List.of("ScalingHeld", "ScaledUp", "ScalingHeld", "ScalingHeld", "ScalingFailed", "InRange"),
                events.stream().map(Event::getReason).toList());
        // Our reason code opens each message.
        assertEquals(List.of("HOLD_COOLDOWN", "SCALE_UP_BACKLOG", "HOLD_COOLDOWN", "HOLD_UNSAFE_STATE", "HOLD_ERROR", "HOLD_IN_RANGE"),
                events.stream().map(e -> e.getMessage().substring(0, e.getMessage().indexOf(':'))).toList());
        assertEquals(List.of("Normal", "Normal", "Normal", "Warning", "Warning", "Normal"), events.stream().map(Event::getType).toList());

        Event scaled = events.get(1);
        assertEquals("FlinkDeployment", scaled.getInvolvedObject().getKind());
        assertEquals("flink.apache.org/v1beta1", scaled.getInvolvedObject().getApiVersion());
        assertEquals(JOB.name(), scaled.getInvolvedObject().getName());
        assertEquals(JOB.namespace(), scaled.getInvolvedObject().getNamespace());
        assertEquals("uid-enricher", scaled.getInvolvedObject().getUid());
        assertTrue(scaled.getMessage().startsWith("SCALE_UP_BACKLOG: scaled 3->5 workers"), scaled.getMessage());
        assertTrue(scaled.getMessage().contains("backlog-time 300") && scaled.getMessage().contains("cpu 0.950"), scaled.getMessage());
        assertTrue(events.get(3).getMessage().contains("RESTARTING"), events.get(3).getMessage());
        assertTrue(events.get(4).getMessage().contains("annotation malformed"), events.get(4).getMessage());
    }

    record ReasonCase(ReasonCode code, String reason) {
        @Override
        public String toString() {
            return code + " -> " + reason;
        }
    }

    static Stream<ReasonCase> holdReasons() {
        return Stream.of(
                new ReasonCase(ReasonCode.HOLD_ERROR, "ScalingFailed"),
                new ReasonCase(ReasonCode.HOLD_STALE_SIGNALS, "SignalsUnavailable"),
                new ReasonCase(ReasonCode.HOLD_INSUFFICIENT_SIGNALS, "SignalsUnavailable"),
                new ReasonCase(ReasonCode.HOLD_BACKEND_UNAVAILABLE, "SignalsUnavailable"),
                new ReasonCase(ReasonCode.HOLD_IN_RANGE, "InRange"),
                new ReasonCase(ReasonCode.HOLD_COOLDOWN, "ScalingHeld"),
                new ReasonCase(ReasonCode.HOLD_BUDGET, "ScalingHeld"),
                new ReasonCase(ReasonCode.HOLD_UNSAFE_STATE, "ScalingHeld"),
                new ReasonCase(ReasonCode.CAPPED_MAX, "ScalingHeld"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("holdReasons")
    void holdsMapToKubernetesStyleReasons(ReasonCase c) {
        assertEquals(c.reason(), EventRecorder.reason(c.code()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ReasonCode.class)
    void everyReasonIsOneUpperCamelCaseWord(ReasonCode code) {
        assertTrue(EventRecorder.reason(code).matches("[A-Z][a-z]+([A-Z][a-z]+)+"), EventRecorder.reason(code));
    }

    @Test
    void aScaleDownIsScaledDown() {
        JobRef job = new JobRef("shrinking", "enricher");
        EventRecorder rec = new EventRecorder(client, new MutableClock(Instant.parse("2026-11-27T10:00:00Z")), "flinkfleet-0", j -> null);
        Decision down = TestDecisions.scale(job, 6, 4);
        rec.onJob(new JobOutcome(new JobPlan(job, "app", PLAN.policy(), PLAN.governor()), null, down,
                Actuator.Result.applied("set spec.taskManager.replicas"), null));
        List<Event> events = client.v1().events().inNamespace(job.namespace()).list().getItems();
        assertEquals(List.of("ScaledDown"), events.stream().map(Event::getReason).toList());
        assertTrue(events.get(0).getMessage().startsWith(down.reason() + ": scaled 6->4 workers"), events.get(0).getMessage());
    }

    @Test
    void annotationProblemsAreToldOncePerChange() {
        JobRef job = new JobRef("annotations", "scorer");
        EventRecorder rec = new EventRecorder(client, new MutableClock(Instant.parse("2026-11-27T10:00:00Z")), "flinkfleet-0", j -> null);
        String paused = "flinkfleet.dev/paused";
        for (int cycle = 0; cycle < 3; cycle++) {
            rec.annotationProblems(job, Map.of(paused, "value 'maybe' is neither true nor false; treated as paused"));
        }
        rec.annotationProblem(job, "flinkfleet.dev/governor-state", "not JSON; ignored");
        rec.annotationProblems(job, Map.of(paused, "value 'maybe' is neither true nor false; treated as paused"));
        rec.annotationProblems(job, Map.of(paused, "value 'yes' is neither true nor false; treated as paused")); // changed: told again
        rec.annotationProblems(job, Map.of()); // fixed: nothing to say
        rec.annotationProblems(job, Map.of(paused, "value 'yes' is neither true nor false; treated as paused")); // broken again

        List<Event> events = client.v1().events().inNamespace(job.namespace()).list().getItems();
        assertEquals(4, events.size(), events.stream().map(Event::getMessage).toList().toString());
        assertTrue(events.stream().allMatch(e -> e.getType().equals("Warning") && e.getReason().equals(EventRecorder.REASON_BAD_ANNOTATION)
                && e.getInvolvedObject().getName().equals("scorer") && e.getMessage().startsWith("annotation flinkfleet.dev/")),
                events.toString());
    }
}

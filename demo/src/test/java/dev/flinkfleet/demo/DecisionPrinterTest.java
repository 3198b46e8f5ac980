package dev.flinkfleet.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobPlan;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/** The demo's transcript: changes and first occurrences only, each reason explained in words once. */
class DecisionPrinterTest {

    private static final JobRef JOB = new JobRef("demo", "clicks");
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    private static final ScalingPolicy POLICY = new ScalingPolicy() {
        @Override
        public String name() {
            return "test";
        }

        @Override
        public Set<SignalKind> requiredSignals() {
            return Set.of();
        }

        @Override
        public Recommendation recommend(Signals signals) {
            throw new UnsupportedOperationException();
        }
    };

    /** One decision: the policy's reason, the governor's, the size before and after, and whether it was applied. */
    record Step(int from, int to, ReasonCode policy, ReasonCode governor, boolean applied) {
        static Step hold(int at, ReasonCode reason) {
            return new Step(at, at, reason, reason, false);
        }

        static Step rescale(int from, int to, ReasonCode reason) {
            return new Step(from, to, reason, reason, true);
        }

        JobOutcome outcome() {
            Recommendation rec = new Recommendation(to, policy, "test", Map.of());
            Decision d = new Decision(JOB, NOW, from, to, rec, governor, List.of(), Quality.FRESH, GovernorState.empty());
            Signals s = Signals.builder(JOB, NOW).workers(from).parallelism(from).fresh(SignalKind.BACKLOG, 100).build();
            Actuator.Result r = from == to ? null : applied ? Actuator.Result.applied("set") : Actuator.Result.skipped(ReasonCode.HOLD_BUDGET, "budget");
            return new JobOutcome(new JobPlan(JOB, "app", POLICY, (sig, rc, p, st, now) -> d), s, d, r, null);
        }
    }

    record Case(String name, List<Step> steps, List<String> printed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        Step capped = Step.hold(12, ReasonCode.CAPPED_PARALLELISM);
        Step inRange = Step.hold(4, ReasonCode.HOLD_IN_RANGE);
        return Stream.of(
                new Case("the same size for the same reason prints once", List.of(capped, capped, capped, capped, capped),
                        List.of("workers 12 CAPPED_PARALLELISM", "why: the topic has no more partitions")),
                new Case("a reason seen again after another is printed again but explained once",
                        List.of(inRange, Step.hold(4, ReasonCode.HOLD_TOLERANCE), inRange),
                        List.of("workers 4 HOLD_IN_RANGE", "why: the load fits", "workers 4 HOLD_TOLERANCE", "why: the change would be too small",
                                "workers 4 HOLD_IN_RANGE")),
                new Case("insufficient signals right after a rescale says the new size's metrics are not in",
                        List.of(Step.rescale(4, 8, ReasonCode.SCALE_UP_LAG), Step.hold(8, ReasonCode.HOLD_INSUFFICIENT_SIGNALS),
                                Step.hold(8, ReasonCode.HOLD_INSUFFICIENT_SIGNALS), Step.hold(8, ReasonCode.HOLD_IN_RANGE),
                                Step.hold(8, ReasonCode.HOLD_INSUFFICIENT_SIGNALS)),
                        List.of("workers 4 -> 8 SCALE_UP_LAG", "why: the consumer lag per worker is above",
                                "workers 8 HOLD_INSUFFICIENT_SIGNALS", "why: metrics of the new size are not in yet",
                                "workers 8 HOLD_IN_RANGE", "why: the load fits",
                                "workers 8 HOLD_INSUFFICIENT_SIGNALS", "why: a signal the policy needs has no value yet")),
                new Case("a cooldown over an insufficient-signals recommendation still counts as waiting for the new size",
                        List.of(Step.rescale(2, 3, ReasonCode.SCALE_UP_LAG), new Step(3, 3, ReasonCode.HOLD_INSUFFICIENT_SIGNALS, ReasonCode.HOLD_COOLDOWN, false),
                                Step.hold(3, ReasonCode.HOLD_INSUFFICIENT_SIGNALS)),
                        List.of("workers 2 -> 3 SCALE_UP_LAG", "why:", "workers 3 HOLD_COOLDOWN", "why: a rescale happened recently",
                                "workers 3 HOLD_INSUFFICIENT_SIGNALS", "why: metrics of the new size are not in yet")),
                new Case("a rescale not applied is its own line", List.of(new Step(4, 6, ReasonCode.SCALE_UP_LAG, ReasonCode.SCALE_UP_LAG, false),
                        new Step(4, 6, ReasonCode.SCALE_UP_LAG, ReasonCode.SCALE_UP_LAG, false)),
                        List.of("workers 4 -> 6 SCALE_UP_LAG backlog 100 input -/s (not applied)", "why:")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void printsChangesAndExplainsOnce(Case c) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DecisionPrinter printer = new DecisionPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), t -> "");
        c.steps().forEach(s -> printer.onJob(s.outcome()));

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines()
                .map(l -> l.replaceFirst("^\\s*[0-9.]+s\\s+", "").replaceAll("\\s+", " ").trim()).toList();
        assertEquals(c.printed().size(), lines.size(), String.join("\n", lines));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String expected = c.printed().get(i);
            assertEquals(true, line.startsWith(expected), "line " + i + ": expected '" + expected + "...' in\n" + String.join("\n", lines));
        }
        assertEquals(c.steps().size(), printer.decisions(), "every decision counted, printed or not");
    }
}

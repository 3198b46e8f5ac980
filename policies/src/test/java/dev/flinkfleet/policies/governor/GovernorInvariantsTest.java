package dev.flinkfleet.policies.governor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.ControlLoop;
import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.InMemoryStateStore;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobPlan;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.SignalSource;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.policies.governor.Fakes.ManualClock;
import dev.flinkfleet.policies.governor.Fakes.ScriptedPolicy;

/**
 * Drives the real {@link ControlLoop} and {@link DefaultGovernor} through seeded random fleets (random rules,
 * partitions, wanted sizes, signal quality, actuator skips and failures) and checks what must hold whatever
 * happens.
 */
class GovernorInvariantsTest {

    static final int JOBS = 4;
    static final int CYCLES = 200;
    static final int SEEDS = 30;
    static final Set<SignalKind> REQUIRED = Set.of(SignalKind.CPU, SignalKind.BACKLOG);

    record Rescale(JobRef job, Instant at, int from, int to) {
    }

    /** Everything one seeded run produced. */
    record Run(GovernorConfig config, Map<JobRef, Integer> maxParallelism, List<JobOutcome> outcomes, List<Rescale> applied) {
        List<Decision> decisions() {
            return outcomes.stream().filter(o -> o.decision() != null).map(JobOutcome::decision).toList();
        }
    }

    static GovernorConfig randomConfig(Random r) {
        int min = 1 + r.nextInt(3);
        double[] tolerances = {0, 0.05, 0.1, 0.2};
        double[] fractions = {0.1, 0.25, 0.5, 1};
        return new GovernorConfig(min, min + r.nextInt(30), 1 + r.nextInt(3), r.nextBoolean(), r.nextBoolean(),
                tolerances[r.nextInt(4)], Duration.ofSeconds(r.nextInt(6) * 60L), Duration.ofSeconds(r.nextInt(16) * 60L),
                Duration.ofSeconds(r.nextInt(16) * 60L), r.nextInt(6), fractions[r.nextInt(4)],
                Duration.ofSeconds(60 + r.nextInt(240)));
    }

    /** The bounds, stated independently of the governor's code. */
    static int upper(GovernorConfig c, int maxParallelism) {
        int upper = c.maxWorkers();
        if (c.respectMaxParallelism() && maxParallelism > 0) {
            upper = Math.min(upper, Math.max(1, maxParallelism / c.slotsPerWorker()));
        }
        return Math.max(c.minWorkers(), upper);
    }

    /** A measurement of random quality: fresh, fresh but older than the governor allows, stale, or missing. */
    static Measurement randomMeasurement(Random r, SignalKind kind, GovernorConfig c) {
        double value = r.nextDouble();
        double maxAge = c.maxSignalAge().toSeconds();
        return switch (r.nextInt(6)) {
            case 0 -> new Measurement(value, maxAge + 1 + r.nextInt(300), Quality.FRESH);
            case 1 -> new Measurement(value, 30 + r.nextInt(300), Quality.STALE);
            case 2 -> Measurement.missing();
            default -> Measurement.of(kind, value, r.nextInt((int) maxAge + 1), Double.POSITIVE_INFINITY);
        };
    }

    /** Runs are deterministic, so the checks share one run per seed; {@link #sameSeedSameDecisions} makes a fresh one. */
    static final Map<Long, Run> RUNS = new java.util.concurrent.ConcurrentHashMap<>();

    static Run run(long seed) {
        return RUNS.computeIfAbsent(seed, GovernorInvariantsTest::simulate);
    }

    static Run simulate(long seed) {
        Random r = new Random(seed);
        GovernorConfig config = randomConfig(r);
        DefaultGovernor governor = new DefaultGovernor(config);
        Map<JobRef, Integer> workers = new HashMap<>();
        Map<JobRef, Integer> maxPar = new LinkedHashMap<>();
        List<JobPlan> plans = new ArrayList<>();
        // The policy reads the wanted size from INPUT_RATE, so it stays a pure function of the signals.
        ScriptedPolicy policy = new ScriptedPolicy(REQUIRED, s -> {
            if (s.inputRate().isMissing()) {
                return Recommendation.hold(s.currentWorkers(), ReasonCode.HOLD_INSUFFICIENT_SIGNALS, "no input rate", Map.of());
            }
            int want = (int) s.inputRate().value();
            ReasonCode reason = want > s.currentWorkers() ? ReasonCode.SCALE_UP_BACKLOG
                    : want < s.currentWorkers() ? ReasonCode.SCALE_DOWN_CPU : ReasonCode.HOLD_IN_RANGE;
            return new Recommendation(want, reason, "wants " + want, Map.of("want", (double) want));
        });
        for (int i = 0; i < JOBS; i++) {
            JobRef job = new JobRef("fleet", "job-" + i);
            int partitions = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(60);
            maxPar.put(job, partitions);
            int up = upper(config, partitions);
            workers.put(job, config.minWorkers() + r.nextInt(up - config.minWorkers() + 1));
            plans.add(new JobPlan(job, "app", policy, governor));
        }

        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        SignalSource source = (Collection<JobRef> jobs, Instant now) -> {
            Map<JobRef, Signals> m = new LinkedHashMap<>();
            for (JobRef job : jobs) {
                Signals.Builder b = Signals.builder(job, now).workers(workers.get(job)).maxParallelism(maxPar.get(job));
                if (r.nextInt(10) > 0) {
                    b.fresh(SignalKind.INPUT_RATE, 1 + r.nextInt(2 * config.maxWorkers() + 5));
                }
                b.set(SignalKind.CPU, randomMeasurement(r, SignalKind.CPU, config));
                b.set(SignalKind.BACKLOG, randomMeasurement(r, SignalKind.BACKLOG, config));
                m.put(job, b.build());
            }
            return m;
        };
        List<Rescale> applied = new ArrayList<>();
        Actuator actuator = d -> {
            int roll = r.nextInt(20);
            if (roll == 0) {
                throw new IllegalStateException("conflict");
            }
            if (roll < 4) {
                return Actuator.Result.skipped(ReasonCode.HOLD_BUDGET, "budget");
            }
            workers.put(d.job(), d.targetWorkers());
            applied.add(new Rescale(d.job(), d.at(), d.currentWorkers(), d.targetWorkers()));
            return Actuator.Result.applied("patched");
        };
        ControlLoop loop = new ControlLoop(clock, source, actuator, new InMemoryStateStore(), CycleListener.NONE);
        List<JobOutcome> outcomes = new ArrayList<>();
        for (int c = 0; c < CYCLES; c++) {
            outcomes.addAll(loop.runCycle(plans));
            clock.advance(Duration.ofSeconds(15 + r.nextInt(106)));
        }
        return new Run(config, maxPar, outcomes, applied);
    }

    record Seed(String name, long seed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Seed> seeds() {
        return LongStream.rangeClosed(1, SEEDS).mapToObj(s -> new Seed("seed " + s, s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void invariantsHold(Seed seed) {
        Run run = run(seed.seed());
        GovernorConfig c = run.config();
        for (JobOutcome o : run.outcomes()) {
            Decision d = o.decision();
            if (d == null) {
                continue;
            }
            java.util.function.Supplier<String> where = () -> seed.name() + " " + c + ": " + d.summary();
            int up = upper(c, run.maxParallelism().get(d.job()));
            assertTrue(d.targetWorkers() >= c.minWorkers() && d.targetWorkers() <= up, () -> "out of bounds: " + where.get());
            if (d.scalesDown()) {
                for (SignalKind k : REQUIRED) {
                    Measurement m = o.signals().get(k);
                    assertTrue(m.isFresh() && m.ageSeconds() <= c.maxSignalAge().toSeconds(), () -> "scale-down on " + m + ": " + where.get());
                }
                int removable = Math.max(1, (int) Math.floor(d.currentWorkers() * c.maxStepDownFraction() + 1e-9));
                assertTrue(d.currentWorkers() - d.targetWorkers() <= removable, () -> "step down too big: " + where.get());
            }
            if (d.scalesUp() && c.maxStepUpWorkers() > 0) {
                assertTrue(d.targetWorkers() - d.currentWorkers() <= c.maxStepUpWorkers(), () -> "step up too big: " + where.get());
            }
            if (d.recommendation().reason() == ReasonCode.HOLD_INSUFFICIENT_SIGNALS) {
                assertFalse(d.changes(), () -> "insufficient signals changed the size: " + where.get());
            }
        }
        Map<JobRef, Rescale> last = new HashMap<>();
        for (Rescale s : run.applied()) {
            Rescale prev = last.put(s.job(), s);
            if (prev != null) {
                Duration gap = Duration.between(prev.at(), s.at());
                Duration cooldown = s.to() > s.from() ? c.scaleUpCooldown() : c.scaleDownCooldown();
                assertTrue(gap.compareTo(cooldown) >= 0, () -> seed.name() + ": " + s + " only " + gap + " after " + prev + ", cooldown " + cooldown);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void sameSeedSameDecisions(Seed seed) {
        Run a = run(seed.seed());
        Run b = simulate(seed.seed());
        assertEquals(a.decisions(), b.decisions());
        assertEquals(a.applied(), b.applied());
    }

    /** The random runs must actually exercise the rules, or the invariants above would pass vacuously. */
    @Test
    void runsExerciseEveryRule() {
        Map<ReasonCode, Integer> seen = new EnumMap<>(ReasonCode.class);
        int ups = 0;
        int downs = 0;
        for (long s = 1; s <= SEEDS; s++) {
            Run run = run(s);
            for (Decision d : run.decisions()) {
                d.adjustments().forEach(a -> seen.merge(a.code(), 1, Integer::sum));
                seen.merge(d.reason(), 1, Integer::sum);
            }
            for (Rescale x : run.applied()) {
                if (x.to() > x.from()) {
                    ups++;
                } else {
                    downs++;
                }
            }
        }
        assertTrue(ups > 0 && downs > 0, "ups " + ups + " downs " + downs);
        for (ReasonCode code : List.of(ReasonCode.CAPPED_MAX, ReasonCode.CAPPED_MIN, ReasonCode.CAPPED_PARALLELISM,
                ReasonCode.SNAPPED_DIVISOR, ReasonCode.HOLD_STALE_SIGNALS, ReasonCode.HOLD_INSUFFICIENT_SIGNALS, ReasonCode.SCALE_UP_BACKLOG, ReasonCode.SCALE_DOWN_CPU,
                ReasonCode.HOLD_TOLERANCE, ReasonCode.HOLD_STABILIZATION, ReasonCode.SCALE_DOWN_STABILIZED,
                ReasonCode.HOLD_COOLDOWN, ReasonCode.CAPPED_STEP_UP, ReasonCode.CAPPED_STEP_DOWN)) {
            assertTrue(seen.getOrDefault(code, 0) > 0, () -> code + " never happened; seen " + seen);
        }
    }
}

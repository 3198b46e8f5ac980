package dev.flinkfleet.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.policies.config.GovernorSettings;
import dev.flinkfleet.policies.governor.DefaultGovernor;

/**
 * The engine alone: one decision is a built-in policy's {@code recommend} plus {@link DefaultGovernor#decide},
 * with reference defaults, on pre-built signals (no I/O, no rendering of explanations). One thread, so the score
 * is decisions per second per core.
 *
 * <p>The signals are a seeded mix a fleet shows: mostly steady jobs near their size, some under-provisioned ones
 * with backlog, some over-provisioned, a few with a missing or stale signal. The governor state carries a short
 * history of recommendations and, for a third of the jobs, a recent rescale, so every rule runs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EngineBench {

    private static final int JOBS = 1024;
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Param({"backlog-drain", "target-utilization", "sla-headroom", "lag-threshold", "static"})
    public String policy;

    private ScalingPolicy scalingPolicy;
    private DefaultGovernor governor;
    private Signals[] signals;
    private GovernorState[] states;
    private int next;

    @Setup
    public void setUp() {
        Config params = ConfigFactory.defaultReference().getConfig("flinkfleet.policies." + policy);
        if (policy.equals("static")) {
            params = ConfigFactory.parseString("workers = 8").withFallback(params);
        }
        scalingPolicy = PolicyRegistry.builtIn().get(policy).create(params);
        governor = new DefaultGovernor(GovernorSettings.defaults());
        SplittableRandom r = new SplittableRandom(42);
        signals = new Signals[JOBS];
        states = new GovernorState[JOBS];
        for (int i = 0; i < JOBS; i++) {
            signals[i] = signals(new JobRef("bench", "job-" + i), r);
            GovernorState s = GovernorState.empty()
                    .withSample(NOW.minusSeconds(240), 4 + r.nextInt(20), Duration.ofMinutes(10))
                    .withSample(NOW.minusSeconds(120), 4 + r.nextInt(20), Duration.ofMinutes(10));
            states[i] = r.nextInt(3) == 0 ? s.afterScale(NOW.minusSeconds(r.nextInt(900)), 8, 10) : s;
        }
    }

    private static Signals signals(JobRef job, SplittableRandom r) {
        int workers = 2 + r.nextInt(30);
        double perWorker = 1000;
        double load = switch (r.nextInt(4)) {
            case 0 -> 1.4;   // under-provisioned
            case 1 -> 0.3;   // over-provisioned
            default -> 0.55 + 0.2 * r.nextDouble(); // about right
        };
        double input = workers * perWorker * load;
        double cpu = Math.min(1, load);
        double throughput = Math.min(input, workers * perWorker);
        double backlog = load > 1 ? (input - throughput) * 120 : r.nextDouble() * 500;
        double growth = input - throughput;
        Signals.Builder b = Signals.builder(job, NOW).workers(workers).parallelism(workers * 2).maxParallelism(r.nextInt(4) == 0 ? 0 : 128);
        b.set(SignalKind.INPUT_RATE, dev.flinkfleet.policies.Measurement.of(SignalKind.INPUT_RATE, input, 30, 300));
        b.set(SignalKind.THROUGHPUT, dev.flinkfleet.policies.Measurement.of(SignalKind.THROUGHPUT, throughput, 30, 300));
        b.set(SignalKind.CPU, dev.flinkfleet.policies.Measurement.of(SignalKind.CPU, cpu, r.nextInt(20) == 0 ? 900 : 30, 300));
        b.set(SignalKind.BACKLOG, dev.flinkfleet.policies.Measurement.of(SignalKind.BACKLOG, backlog, 30, 300));
        b.set(SignalKind.BACKLOG_GROWTH, dev.flinkfleet.policies.Measurement.of(SignalKind.BACKLOG_GROWTH, growth, 30, 300));
        if (r.nextInt(2) == 0) {
            b.set(SignalKind.BACKLOG_TIME, dev.flinkfleet.policies.Measurement.of(SignalKind.BACKLOG_TIME, backlog / Math.max(1, throughput), 30, 300));
        }
        if (r.nextInt(25) == 0) {
            b.set(SignalKind.INPUT_RATE, dev.flinkfleet.policies.Measurement.missing());
        }
        return b.build();
    }

    /** One decision: recommend, then govern. */
    @Benchmark
    public Decision decide() {
        int i = next;
        next = (i + 1) & (JOBS - 1);
        Signals s = signals[i];
        return governor.decide(s, scalingPolicy.recommend(s), scalingPolicy, states[i], NOW);
    }
}

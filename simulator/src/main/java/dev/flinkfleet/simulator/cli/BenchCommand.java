package dev.flinkfleet.simulator.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.flinkfleet.simulator.PolicyLoader;
import dev.flinkfleet.simulator.RunResult;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.Simulation;
import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.model.JobModelFile;
import dev.flinkfleet.simulator.trace.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: replays a synthetic fleet (diurnal traffic with noise and bursts, seeded) through a policy and
 * prints simulated job-steps per second and wall time. The figures in BENCHMARKS.md come from this command.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure replay speed on a synthetic fleet: job-steps per second and wall time.")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--jobs", description = "Jobs in the fleet (default ${DEFAULT-VALUE}).")
    int jobs = 1000;

    @Option(names = "--days", description = "Days per trace (default ${DEFAULT-VALUE}).")
    int days = 7;

    @Option(names = "--step", description = "Trace step and model step, seconds (default ${DEFAULT-VALUE}).")
    int step = 10;

    @Option(names = "--policy", description = "Policy file or built-in name (default ${DEFAULT-VALUE}).")
    String policy = "backlog-drain";

    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--seed", description = "Seed of the synthetic traces (default ${DEFAULT-VALUE}).")
    long seed = 42;

    private final PolicyLoader loader;

    public BenchCommand() {
        this(Policies.loader());
    }

    public BenchCommand(PolicyLoader loader) {
        this.loader = loader;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
        Strategy strategy = loader.load(policy, Map.of(), null);
        JobModelFile models = JobModelFile.defaults();
        int rows = days * 86_400 / step;
        // Warm up the JIT on a slice of the fleet so the timed run measures steady state.
        run(Math.min(jobs, 2 * threads), Math.min(rows, 8640), strategy, models);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        long steps = run(jobs, rows, strategy, models);
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        out.printf(Locale.ROOT, "jobs=%d days=%d step=%ds policy=%s threads=%d%n", jobs, days, step, policy, threads);
        out.printf(Locale.ROOT, "job-steps=%d control-cycles=%d wall=%.2fs job-steps/s=%.3e%n", steps, steps / Math.max(1, controlSteps(models)), wall, steps / wall);
        // CPU time of the whole process (JIT and GC included): the figure that does not depend on other load.
        out.printf(Locale.ROOT, "process-cpu=%.2fs job-steps per cpu-second=%.3e%n", cpu, steps / cpu);
        out.flush();
        return 0;
    }

    private int controlSteps(JobModelFile models) {
        return SimContext.Setup.of(synthetic(0, 2), models.modelFor("synthetic-0.csv")).controlSteps();
    }

    private long run(int n, int rows, Strategy strategy, JobModelFile models) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<Long>> fs = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                int job = j;
                fs.add(pool.submit(() -> {
                    Trace t = synthetic(job, rows);
                    SimContext.Setup s = SimContext.Setup.of(t, models.modelFor(t.fileName()));
                    RunResult r = Simulation.run(s, strategy, 0);
                    if (!(r.summary().vcpuHours() > 0)) {
                        throw new IllegalStateException("empty replay for " + t.name());
                    }
                    return s.steps();
                }));
            }
            long steps = 0;
            for (Future<Long> f : fs) {
                steps += f.get();
            }
            return steps;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Diurnal traffic with a per-job phase and size, multiplicative noise and rare bursts. */
    Trace synthetic(int job, int rows) {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + job);
        double base = 1 + rnd.nextDouble() * 50;
        double phase = rnd.nextDouble() * 2 * Math.PI;
        double[] rates = new double[rows];
        double burst = 0;
        for (int i = 0; i < rows; i++) {
            double day = 2 * Math.PI * (i * (double) step) / 86_400;
            if (rnd.nextDouble() < 0.0005) {
                burst = base * (1 + 2 * rnd.nextDouble());
            }
            burst *= 0.99;
            rates[i] = Math.max(0, base * (1 + 0.6 * Math.sin(day + phase)) * (1 + 0.1 * (rnd.nextDouble() - 0.5)) + burst);
        }
        String name = "synthetic-" + job;
        return new Trace(name, name + ".csv", Instant.parse("2024-01-01T00:00:00Z"), step, rates);
    }
}

package dev.flinkfleet.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.flinkfleet.autoscaler.daemon.Daemon;

/**
 * One demo run: the {@link DemoEnvironment}, the demo application's policy file, and the real, unchanged
 * {@link Daemon} (leader election off) acting on the embedded API server, with a {@link DecisionPrinter}
 * listening and a once-a-second sampler of the job's size.
 */
public final class DemoRun implements AutoCloseable {

    private final DemoEnvironment env;
    private final Path policiesDir;
    private final Daemon daemon;
    private final DecisionPrinter printer;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-sampler");
        t.setDaemon(true);
        return t;
    });

    private DemoRun(DemoEnvironment env, Path policiesDir, Daemon daemon, DecisionPrinter printer) {
        this.env = env;
        this.policiesDir = policiesDir;
        this.daemon = daemon;
        this.printer = printer;
    }

    /** Starts everything; traffic and the daemon's first cycle begin at once. */
    public static DemoRun start(DemoEnvironment.Options options, DemoConfig.Policy policy, DemoConfig.Timing timing,
                                DecisionPrinter printer) throws IOException {
        Clock clock = Clock.systemUTC();
        DemoEnvironment env = DemoEnvironment.start(options, clock);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("flinkfleet-demo-policies-");
            DemoConfig.writePolicy(dir, options, policy, timing);
            Daemon daemon = Daemon.create(DemoConfig.daemon(dir, env.bootstrapServers(), env.prometheusUrl(), timing),
                    env.client(), clock);
            daemon.addListener(printer);
            DemoRun run = new DemoRun(env, dir, daemon, printer);
            printer.markStart();
            env.startTraffic();
            daemon.start();
            run.sampler.scheduleAtFixedRate(run::sample, 1, 1, TimeUnit.SECONDS);
            return run;
        } catch (IOException | RuntimeException e) {
            env.close();
            deleteQuietly(dir);
            throw e;
        }
    }

    private void sample() {
        try {
            int workers = env.job().workers();
            printer.sample(workers, workers > 0);
        } catch (RuntimeException e) {
            // the API server is going away at shutdown
        }
    }

    public DemoEnvironment env() {
        return env;
    }

    public Daemon daemon() {
        return daemon;
    }

    public DecisionPrinter printer() {
        return printer;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        daemon.close();
        env.close();
        deleteQuietly(policiesDir);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp dir is harmless
        }
    }
}

package dev.flinkfleet.autoscaler.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

/** Small builders for daemon-side tests. */
final class DaemonTestSupport {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private DaemonTestSupport() {
    }

    static final ScalingPolicy NO_POLICY = new ScalingPolicy() {
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

    static Decision decision(JobRef job, int current, int target, ReasonCode reason) {
        Recommendation rec = new Recommendation(target, reason, "test", Map.of());
        return new Decision(job, NOW, current, target, rec, reason, List.of(), Quality.FRESH, GovernorState.empty());
    }

    static JobOutcome outcome(JobRef job, String app, int current, int target, ReasonCode reason, Actuator.Result result) {
        JobPlan plan = new JobPlan(job, app, NO_POLICY, (s, r, p, st, now) -> {
            throw new UnsupportedOperationException();
        });
        Signals s = Signals.builder(job, NOW).workers(current).parallelism(current)
                .fresh(SignalKind.BACKLOG, 1234).fresh(SignalKind.CPU, 0.5).build();
        return new JobOutcome(plan, s, decision(job, current, target, reason), result, null);
    }

    /**
     * Writes {@code policies/lag.conf} under {@code dir}: the lag-threshold application the daemon tests run (100
     * records per worker, min-workers given, at most 8, no tolerance, scale-up at once, topic {@code {name}-in}) and
     * returns the policies directory.
     *
     * @param governorExtra more governor lines, or ""
     */
    static Path lagPolicy(Path dir, String namespace, int minWorkers, String scaleDownCooldown, String governorExtra)
            throws IOException {
        Path policies = dir.resolve("policies");
        Files.createDirectories(policies);
        Files.writeString(policies.resolve("lag.conf"), """
                application {
                  select { namespaces = ["%s"] }
                  policy = "lag-threshold"
                  params { lag-per-worker = 100 }
                  governor {
                    min-workers = %d
                    max-workers = 8
                    tolerance = 0
                    scale-up-cooldown = 0s
                    scale-down-cooldown = %s
                    scale-down-stabilization-window = %s
                    %s
                  }
                  kafka { topics = ["{name}-in"] }
                }
                """.formatted(namespace, minWorkers, scaleDownCooldown, scaleDownCooldown, governorExtra));
        return policies;
    }

    /** Waits up to 20 s until the daemon's informer index holds {@code n} deployments. */
    static void awaitWatched(Daemon d, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (d.watchedJobs() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        org.junit.jupiter.api.Assertions.assertEquals(n, d.watchedJobs(), "deployments seen by the informer");
    }

    /** A cycle's outcomes by job name. */
    static Map<String, JobOutcome> byName(List<JobOutcome> outcomes) {
        return outcomes.stream().collect(java.util.stream.Collectors.toMap(o -> o.plan().job().name(), o -> o));
    }
}

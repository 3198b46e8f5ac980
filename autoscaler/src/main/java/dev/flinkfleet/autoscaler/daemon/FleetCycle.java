package dev.flinkfleet.autoscaler.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.flinkfleet.autoscaler.http.Health;
import dev.flinkfleet.autoscaler.http.JobBoard;
import dev.flinkfleet.autoscaler.kubernetes.AnnotationStateStore;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentWatcher;
import dev.flinkfleet.policies.ControlLoop;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobPlan;

/**
 * One control cycle of the daemon, as the leader runs it: wait for the informers, reload changed policy files,
 * bind the fleet, run the loop, record how long it took. Also what changes hands with leadership: a replica
 * that loses it flushes and forgets the governor state and stops exporting per-job figures. Cycles and those
 * hand-overs never overlap.
 */
final class FleetCycle {

    private static final Logger LOG = LoggerFactory.getLogger(FleetCycle.class);
    private static final Duration SYNC_WAIT = Duration.ofSeconds(30);

    private final Clock clock;
    private final FlinkDeploymentWatcher watcher;
    private final PolicyReloader policies;
    private final FleetBinding binding;
    private final ControlLoop loop;
    private final AnnotationStateStore annotationStore;
    private final DaemonMetrics metrics;
    private final JobBoard board;
    private final Health health;
    private final BooleanSupplier mayRun;
    private final boolean watching;
    private final Object lock = new Object();
    private volatile CompletableFuture<?> informerStart = CompletableFuture.completedFuture(null);
    private FleetSignalSource source;
    private TimedActuator actuator;
    private volatile CycleTimings last = CycleTimings.NONE;

    /**
     * @param annotationStore governor state in annotations; null in a dry run
     * @param mayRun          true while this replica leads and the daemon is open
     * @param watching        false without Kubernetes (flinkfleet.kubernetes.enabled = false): no informers to wait for
     */
    FleetCycle(Clock clock, FlinkDeploymentWatcher watcher, PolicyReloader policies, FleetBinding binding, ControlLoop loop,
               AnnotationStateStore annotationStore, DaemonMetrics metrics, JobBoard board, Health health, BooleanSupplier mayRun,
               boolean watching) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.watcher = Objects.requireNonNull(watcher, "watcher");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.binding = Objects.requireNonNull(binding, "binding");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.annotationStore = annotationStore;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.board = Objects.requireNonNull(board, "board");
        this.health = Objects.requireNonNull(health, "health");
        this.mayRun = Objects.requireNonNull(mayRun, "mayRun");
        this.watching = watching;
    }

    /** Where the stage timings of {@link #lastTimings()} come from. */
    void timedBy(FleetSignalSource source, TimedActuator actuator) {
        this.source = source;
        this.actuator = actuator;
    }

    /** Where the last cycle's time went. */
    CycleTimings lastTimings() {
        return last;
    }

    /** The informers' first list, which cycles wait for. */
    void informersStarting(CompletableFuture<?> start) {
        informerStart = Objects.requireNonNull(start, "start");
    }

    /** Runs one cycle; an empty list when not allowed to, or when the informers have not synced within 30 s. */
    List<JobOutcome> run() {
        if (!mayRun.getAsBoolean()) {
            return List.of();
        }
        try {
            informerStart.get(SYNC_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // The first list failed (API server unreachable, RBAC) or is still retrying: no fleet to decide on.
            if (!watcher.hasSynced()) {
                LOG.warn("informers not started ({}); skipping the cycle", e.getClass().getSimpleName());
                return List.of();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        try {
            if (watching && !watcher.awaitSynced(SYNC_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("informers not synced yet; skipping the cycle");
                return List.of();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        synchronized (lock) {
            if (!mayRun.getAsBoolean()) {
                return List.of();
            }
            long t0 = System.nanoTime();
            if (actuator != null) {
                actuator.reset();
            }
            policies.reloadIfChanged();
            List<JobPlan> plans = binding.bindAll();
            long t1 = System.nanoTime();
            List<JobOutcome> outcomes = loop.runCycle(plans);
            long t2 = System.nanoTime();
            metrics.observeCycleSeconds((t2 - t0) / 1e9);
            if (source != null && actuator != null) {
                long signals = source.lastCollectNanos();
                last = new CycleTimings(plans.size(), t1 - t0, source.lastKafkaNanos(), source.lastPromNanos(), signals,
                        Math.max(0, t2 - t1 - signals - actuator.nanos()), actuator.nanos(), actuator.calls(), t2 - t0);
            }
            health.markCycle(clock.instant());
            return outcomes;
        }
    }

    /** Leadership lost: what is still unwritten goes out, then everything per job is dropped for the next leader. */
    void lostLeadership() {
        synchronized (lock) {
            if (annotationStore != null) {
                annotationStore.flush();
                watcher.views().keySet().forEach(annotationStore::forget);
            }
            binding.clear();
            Instant now = clock.instant();
            // Per-job series and the board are the leader's; a standby must not export stale decisions.
            metrics.onCycle(now, List.of());
            board.onCycle(now, List.of());
        }
    }

    /**
     * One shard lost while others are still held: the lost shard's unwritten state goes out and its jobs are
     * forgotten here; their per-job series and board entries go at the next cycle, which no longer sees them.
     */
    void lostShard(java.util.function.Predicate<dev.flinkfleet.policies.JobRef> ofShard) {
        synchronized (lock) {
            if (annotationStore != null) {
                annotationStore.flush();
                watcher.views().keySet().stream().filter(ofShard).forEach(annotationStore::forget);
            }
            binding.clear();
        }
    }

    /** Shutdown: the leader writes out what is still unwritten. */
    void flush(boolean leader) {
        synchronized (lock) {
            if (annotationStore != null && leader) {
                try {
                    annotationStore.flush();
                } catch (RuntimeException e) {
                    LOG.warn("could not flush governor state on shutdown: {}", e.toString());
                }
            }
        }
    }
}

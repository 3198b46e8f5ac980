package dev.flinkfleet.autoscaler.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.flinkfleet.autoscaler.kafka.GroupBinding;
import dev.flinkfleet.autoscaler.kafka.KafkaUnreachableException;
import dev.flinkfleet.autoscaler.prometheus.PromSignalReader;
import dev.flinkfleet.autoscaler.prometheus.PromSnapshot;
import dev.flinkfleet.policies.JobPlan;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.policies.SignalSource;
import dev.flinkfleet.policies.signals.BacklogSignals;
import dev.flinkfleet.policies.signals.BacklogSignals.KafkaMeasurements;
import dev.flinkfleet.policies.signals.MetricObservation;
import dev.flinkfleet.policies.signals.OffsetObservation;
import dev.flinkfleet.policies.signals.SignalMerger;

/**
 * The daemon's {@link SignalSource}: per cycle one batched read per Kafka cluster (all of its jobs' groups at
 * once) and one set of fleet-wide Prometheus queries, each behind a {@link GuardedBackend}. Kafka clusters are
 * read in parallel, each within the per-cycle deadline, so one hung broker cannot stall the cycle. A backend
 * that fails leaves its signals missing for the jobs it serves, is recorded in its {@link BackendHealth}, and
 * names itself in {@link #unavailable()} for those jobs; it never fails the cycle. Called from the loop's
 * single thread.
 */
public final class FleetSignalSource implements SignalSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetSignalSource.class);
    /** Slack for a cluster's task beyond its own deadline before the cycle stops waiting for it. */
    private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** One Kafka cluster: its connection, guard, per-job histories and health. */
    public record KafkaBackend(KafkaConnection connection, GuardedBackend guard, BacklogSignals signals, BackendHealth health) {
    }

    /** Prometheus: its reader, guard and health. */
    public record PromBackend(PromSignalReader reader, GuardedBackend guard, BackendHealth health) {
    }

    private final Map<String, KafkaBackend> kafka;
    private final PromBackend prometheus;
    private final Duration kafkaDeadline;
    private final ExecutorService pool;
    private final Map<String, Future<?>> running = new HashMap<>();
    private volatile Map<JobRef, String> unavailable = Map.of();
    private String lastPromErrors = "";
    /** Longest Kafka cluster read and the Prometheus read of the last cycle (for {@link CycleTimings}). */
    private final java.util.concurrent.atomic.LongAccumulator kafkaNanos = new java.util.concurrent.atomic.LongAccumulator(Math::max, 0);
    private volatile long promNanos;
    private volatile long collectNanos;

    /**
     * @param kafka         Kafka backends by cluster name
     * @param prometheus    Prometheus, or null when disabled
     * @param kafkaDeadline most real time one cluster's read may take per cycle
     */
    public FleetSignalSource(Map<String, KafkaBackend> kafka, PromBackend prometheus, Duration kafkaDeadline) {
        this.kafka = Map.copyOf(kafka);
        this.prometheus = prometheus;
        this.kafkaDeadline = Objects.requireNonNull(kafkaDeadline, "kafkaDeadline");
        // One thread per cluster at most (a cluster's read is never queued behind another's: it would lose its
        // deadline waiting), since a cluster whose last read still runs is not read again.
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "kafka-read");
            t.setDaemon(true);
            return t;
        });
    }

    /** Jobs of the last cycle whose signals are missing because a backend is down, with the backend and why. */
    public Map<JobRef, String> unavailable() {
        return unavailable;
    }

    /** Wall time of the last cycle's slowest Kafka cluster read (they run in parallel with each other and Prometheus). */
    long lastKafkaNanos() {
        return kafkaNanos.get();
    }

    /** Wall time of the last cycle's whole signal read. */
    long lastCollectNanos() {
        return collectNanos;
    }

    /** Wall time of the last cycle's Prometheus queries. */
    long lastPromNanos() {
        return promNanos;
    }

    /** Jobs known by reference alone carry no wiring: none is served, so the loop holds them. */
    @Override
    public Map<JobRef, Signals> collect(Collection<JobRef> jobs, Instant now) {
        return Map.of();
    }

    /** Each job's wiring (from its FlinkDeployment and application) comes with its plan. */
    @Override
    public Map<JobRef, Signals> collect(List<JobPlan> plans, Instant now) {
        long c0 = System.nanoTime();
        try {
            return collectTimed(plans, now);
        } finally {
            collectNanos = System.nanoTime() - c0;
        }
    }

    private Map<JobRef, Signals> collectTimed(List<JobPlan> plans, Instant now) {
        Map<JobRef, JobWiring> wired = new LinkedHashMap<>();
        Map<String, Map<JobRef, GroupBinding>> byCluster = new HashMap<>();
        for (JobPlan plan : plans) {
            JobRef job = plan.job();
            JobWiring w = plan.wiring(JobWiring.class);
            if (w == null) {
                continue; // the loop holds a job the source returns nothing for
            }
            wired.put(job, w);
            if (w.kafkaCluster() != null) {
                byCluster.computeIfAbsent(w.kafkaCluster(), c -> new LinkedHashMap<>()).put(job, w.group());
            }
        }

        // Every cluster's read starts now and runs in parallel with the others and with Prometheus.
        long deadline = System.nanoTime() + kafkaDeadline.toNanos();
        kafkaNanos.reset();
        Map<String, Future<Map<JobRef, OffsetObservation>>> reads = new LinkedHashMap<>();
        for (Map.Entry<String, Map<JobRef, GroupBinding>> e : byCluster.entrySet()) {
            KafkaBackend backend = kafka.get(e.getKey());
            if (backend == null) {
                LOG.warn("jobs {} name Kafka cluster '{}', which the daemon config does not define", e.getValue().keySet(), e.getKey());
                continue;
            }
            Future<?> previous = running.get(e.getKey());
            if (previous != null && !previous.isDone()) {
                continue; // still stuck in last cycle's read (e.g. creating its client): failed below, not queued
            }
            Map<JobRef, GroupBinding> groups = e.getValue();
            Future<Map<JobRef, OffsetObservation>> f = pool.submit(() -> {
                long t0 = System.nanoTime();
                try {
                    return backend.guard().call(() -> backend.connection().read(groups, deadline));
                } finally {
                    kafkaNanos.accumulate(System.nanoTime() - t0);
                }
            });
            reads.put(e.getKey(), f);
            running.put(e.getKey(), f);
        }

        long p0 = System.nanoTime();
        PromSnapshot prom = readPrometheus(now);
        promNanos = System.nanoTime() - p0;

        Map<JobRef, KafkaMeasurements> fromKafka = new HashMap<>();
        Map<JobRef, String> down = new HashMap<>();
        for (Map.Entry<String, Map<JobRef, GroupBinding>> e : byCluster.entrySet()) {
            KafkaBackend backend = kafka.get(e.getKey());
            if (backend == null) {
                continue;
            }
            Map<JobRef, OffsetObservation> snapshots;
            try {
                Future<Map<JobRef, OffsetObservation>> f = reads.get(e.getKey());
                if (f == null) {
                    throw new StillRunningException();
                }
                snapshots = await(f, deadline);
                backend.health().succeeded(0);
            } catch (RuntimeException ex) {
                if (ex instanceof StillRunningException) {
                    backend.health().stillDown(new KafkaUnreachableException("the previous cycle's read has not returned yet", null, true));
                } else {
                    backend.health().failed(ex);
                }
                String reason = backend.health().unavailableReason().orElse("Kafka cluster '" + e.getKey() + "' unavailable");
                for (JobRef job : e.getValue().keySet()) {
                    fromKafka.put(job, backend.signals().measurements(job, now, reason));
                    down.put(job, reason);
                }
                continue;
            }
            fromKafka.putAll(backend.signals().update(snapshots, now));
            backend.signals().retainOnly(new HashSet<>(e.getValue().keySet()));
        }
        kafka.forEach((name, b) -> {
            if (!byCluster.containsKey(name)) {
                b.health().refresh();
            }
        });

        String promDown = prometheus == null ? null : prometheus.health().unavailableReason().orElse(null);
        Map<JobRef, Signals> out = new LinkedHashMap<>();
        for (JobWiring w : wired.values()) {
            out.put(w.job(), derive(w, fromKafka.get(w.job()), prom, now));
            if (promDown != null && w.promJob() != null) {
                down.merge(w.job(), promDown, (a, b) -> a + "; " + b);
            }
        }
        unavailable = Map.copyOf(down);
        return out;
    }

    /**
     * One job's signals from this cycle's raw reads, by the engine's derivation (the simulator runs the same).
     *
     * @param kafka the job's offset-derived measurements, or null when not read from Kafka
     * @param prom  this cycle's Prometheus snapshot, or null when off or down
     */
    static Signals derive(JobWiring w, KafkaMeasurements kafka, PromSnapshot prom, Instant now) {
        // Under its FlinkDeployment's namespace/name when its series carry those labels, else under its job name.
        MetricObservation metrics = prom == null || w.promJob() == null ? null : prom.observation(w.job(), w.promJob());
        return SignalMerger.merge(w.job(), w.workers(), w.parallelism(), kafka, metrics, now);
    }

    /** This cycle's Prometheus snapshot, or null when off or down (every query failed). */
    private PromSnapshot readPrometheus(Instant now) {
        if (prometheus == null) {
            return null;
        }
        PromSnapshot prom;
        try {
            prom = prometheus.guard().call(() -> {
                PromSnapshot p = prometheus.reader().read(now);
                if (p.samples().isEmpty() && !p.errors().isEmpty()) {
                    // Every query failed: down as a whole (a call that fails counts against the guard and is retried).
                    throw new BackendUnavailableException("every query failed; first: " + firstLine(p.errors().values().iterator().next()));
                }
                return p;
            });
        } catch (RuntimeException ex) {
            prometheus.health().failed(ex);
            return null;
        }
        String errors = prom.errors().isEmpty() ? "" : prom.errors().toString();
        if (!errors.equals(lastPromErrors)) {
            // Some queries failed and others did not: logged when the set changes, not every cycle.
            if (errors.isEmpty()) {
                LOG.info("Prometheus queries answer again");
            } else {
                LOG.warn("Prometheus queries failed (their signals are missing until they answer): {}", errors);
            }
            lastPromErrors = errors;
        }
        double oldest = prom.samples().values().stream().flatMap(m -> m.values().stream()).mapToDouble(prom::ageSeconds).max().orElse(0);
        prometheus.health().succeeded(oldest);
        return prom;
    }

    private static String firstLine(String error) {
        int q = error.indexOf(" -- query:");
        return q < 0 ? error : error.substring(0, q);
    }

    private static Map<JobRef, OffsetObservation> await(Future<Map<JobRef, OffsetObservation>> f, long deadline) {
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()) + GRACE_NANOS, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException r ? r : new KafkaUnreachableException(String.valueOf(c), c, false);
        } catch (TimeoutException e) {
            throw new KafkaUnreachableException("no answer within the cycle deadline", e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnreachableException("interrupted", e, true);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** The cluster's read from an earlier cycle is still running (e.g. stuck creating its client). */
    private static final class StillRunningException extends RuntimeException {
        StillRunningException() {
            super("still running", null, false, false);
        }
    }

    /** A backend that failed as a whole, with a message that already says why. */
    static final class BackendUnavailableException extends RuntimeException {
        BackendUnavailableException(String message) {
            super(message, null, false, false);
        }
    }
}

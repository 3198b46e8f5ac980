package dev.flinkfleet.autoscaler.daemon;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.flinkfleet.autoscaler.kafka.BacklogSignals;
import dev.flinkfleet.autoscaler.kafka.BacklogSignals.KafkaMeasurements;
import dev.flinkfleet.autoscaler.kafka.BacklogSnapshot;
import dev.flinkfleet.autoscaler.kafka.GroupBinding;
import dev.flinkfleet.autoscaler.kafka.KafkaBacklogReader;
import dev.flinkfleet.autoscaler.prometheus.PromSignalReader;
import dev.flinkfleet.autoscaler.prometheus.PromSnapshot;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.policies.SignalSource;

/**
 * The daemon's {@link SignalSource}: per cycle one batched read per Kafka cluster (all of its jobs' groups at
 * once) and one set of fleet-wide Prometheus queries, each behind a {@link GuardedBackend}. A backend that fails
 * leaves its signals missing for the jobs it serves; it never fails the cycle. Called from the loop's single
 * thread.
 */
public final class FleetSignalSource implements SignalSource {

    private static final Logger LOG = LoggerFactory.getLogger(FleetSignalSource.class);

    /** One Kafka cluster: its reader, guard and per-job histories. */
    public record KafkaBackend(KafkaBacklogReader reader, GuardedBackend guard, BacklogSignals signals) {
    }

    private final Map<String, KafkaBackend> kafka;
    private final PromSignalReader prometheus;
    private final GuardedBackend prometheusGuard;
    private final Function<JobRef, JobWiring> wiring;
    private final DaemonMetrics metrics;

    /**
     * @param kafka      Kafka backends by cluster name
     * @param prometheus the Prometheus reader, or null when disabled
     * @param wiring     each job's wiring (from its FlinkDeployment and application); null for an unknown job
     */
    public FleetSignalSource(Map<String, KafkaBackend> kafka, PromSignalReader prometheus, GuardedBackend prometheusGuard,
                             Function<JobRef, JobWiring> wiring, DaemonMetrics metrics) {
        this.kafka = Map.copyOf(kafka);
        this.prometheus = prometheus;
        this.prometheusGuard = prometheusGuard;
        this.wiring = Objects.requireNonNull(wiring, "wiring");
        this.metrics = metrics;
        if (prometheus != null) {
            Objects.requireNonNull(prometheusGuard, "prometheusGuard");
        }
    }

    @Override
    public Map<JobRef, Signals> collect(Collection<JobRef> jobs, Instant now) {
        Map<JobRef, JobWiring> wired = new LinkedHashMap<>();
        Map<String, Map<JobRef, GroupBinding>> byCluster = new HashMap<>();
        for (JobRef job : jobs) {
            JobWiring w = wiring.apply(job);
            if (w == null) {
                continue; // the loop holds a job the source returns nothing for
            }
            wired.put(job, w);
            if (w.kafkaCluster() != null) {
                byCluster.computeIfAbsent(w.kafkaCluster(), c -> new LinkedHashMap<>()).put(job, w.group());
            }
        }

        Map<JobRef, KafkaMeasurements> fromKafka = new HashMap<>();
        for (Map.Entry<String, Map<JobRef, GroupBinding>> e : byCluster.entrySet()) {
            KafkaBackend backend = kafka.get(e.getKey());
            if (backend == null) {
                LOG.warn("jobs {} name Kafka cluster '{}', which the daemon config does not define", e.getValue().keySet(), e.getKey());
                continue;
            }
            Map<JobRef, BacklogSnapshot> snapshots;
            try {
                snapshots = backend.guard().call(() -> backend.reader().read(e.getValue()));
            } catch (RuntimeException ex) {
                LOG.warn("Kafka cluster '{}' unreadable this cycle: {}", e.getKey(), ex.toString());
                for (JobRef job : e.getValue().keySet()) {
                    fromKafka.put(job, backend.signals().measurements(job, now, "cluster unreadable: " + ex.getMessage()));
                }
                continue;
            }
            Map<JobRef, KafkaMeasurements> m = backend.signals().update(snapshots, now);
            fromKafka.putAll(m);
            backend.signals().retainOnly(new HashSet<>(e.getValue().keySet()));
            if (metrics != null) {
                snapshots.values().stream().mapToLong(s -> now.toEpochMilli() - s.readAt().toEpochMilli()).max()
                        .ifPresent(ms -> metrics.signalAge("kafka:" + e.getKey(), Math.max(0, ms) / 1000.0));
            }
        }

        PromSnapshot prom = null;
        if (prometheus != null) {
            try {
                prom = prometheusGuard.call(() -> prometheus.read(now));
                if (!prom.errors().isEmpty()) {
                    LOG.warn("Prometheus queries failed this cycle: {}", prom.errors());
                }
                if (metrics != null) {
                    PromSnapshot p = prom;
                    p.samples().values().stream().flatMap(m -> m.values().stream())
                            .mapToDouble(p::ageSeconds).max().ifPresent(age -> metrics.signalAge("prometheus", Math.max(0, age)));
                }
            } catch (RuntimeException ex) {
                LOG.warn("Prometheus unreadable this cycle: {}", ex.toString());
            }
        }

        Map<JobRef, Signals> out = new LinkedHashMap<>();
        for (JobWiring w : wired.values()) {
            out.put(w.job(), SignalMerger.merge(w, fromKafka.get(w.job()), prom, now));
        }
        return out;
    }
}

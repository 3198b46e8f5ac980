package dev.flinkfleet.autoscaler.daemon;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.flinkfleet.autoscaler.http.LeadershipState;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * This replica's part in the sharded fleet: one {@link Leadership} (fabric8's {@code LeaderElector} on the
 * shard's Lease) per shard it contends for. Holds as many shards as it can get, up to
 * {@code max-shards-per-replica}: a shard won beyond the cap is given back at once, and while at the cap the
 * replica stops contending for the others (so a peer below its cap gets them), and contends again when it loses
 * one. Closing releases every held Lease, so the peers take the shards over at their next retry instead of
 * after a lease duration. With one shard this is the single leader election of before, on the same Lease.
 */
final class ShardLeases implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShardLeases.class);

    private final KubernetesClient client;
    private final DaemonSettings.LeaderElection settings;
    private final ShardMap shards;
    private final String identity;
    private final String namespace;
    private final int cap;
    private final IntConsumer onAcquired;
    private final IntConsumer onLost;
    private final Gauge heldGauge;
    /** Electors by shard; null = not contending for it. Guarded by this. */
    private final Leadership[] electors;
    private final TreeSet<Integer> held = new TreeSet<>();
    /** When each unheld shard was first seen held by nobody, while at the cap. Guarded by this. */
    private final Map<Integer, Instant> unheldSince = new HashMap<>();
    /** Shards contended for past the cap because nobody held them. Guarded by this. */
    private final Set<Integer> orphans = new TreeSet<>();
    /**
     * Releases, restarts and the orphan check run here: never inside fabric8's own callback that reported the
     * change.
     */
    private final ScheduledExecutorService async = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "shard-leases");
        t.setDaemon(true);
        return t;
    });
    private volatile Set<Integer> heldNow = Set.of();
    private boolean started;
    private boolean closed;

    /**
     * @param onAcquired called with a shard this replica now holds
     * @param onLost     called with a shard it no longer holds (not on close)
     */
    ShardLeases(KubernetesClient client, DaemonSettings.LeaderElection settings, ShardMap shards, String identity, String namespace,
                PrometheusRegistry registry, IntConsumer onAcquired, IntConsumer onLost) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.shards = Objects.requireNonNull(shards, "shards");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        int max = settings.maxShardsPerReplica();
        this.cap = max <= 0 ? shards.shards() : Math.min(max, shards.shards());
        this.onAcquired = Objects.requireNonNull(onAcquired, "onAcquired");
        this.onLost = Objects.requireNonNull(onLost, "onLost");
        this.electors = new Leadership[shards.shards()];
        this.heldGauge = Gauge.builder().name("flinkfleet_shard_held")
                .help("1 for each shard whose Lease this replica holds (it decides that shard's jobs), 0 for the others")
                .labelNames("shard").register(registry);
        for (int i = 0; i < shards.shards(); i++) {
            heldGauge.labelValues(String.valueOf(i)).set(0);
        }
    }

    synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        LOG.info("{} contends for {} shard Lease(s) {}/{}{}, holding at most {}", identity, shards.shards(), namespace,
                shards.lease(0), shards.shards() > 1 ? " .. " + shards.lease(shards.shards() - 1) : "", cap);
        contendBelowCap();
        if (cap < shards.shards()) {
            // Only a cap can leave a shard unheld; one shard or no cap costs no extra API call (nor the list verb).
            long ms = settings.retryPeriod().toMillis();
            async.scheduleWithFixedDelay(this::adoptOrphans, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** True when this replica holds {@code shard}'s Lease now. */
    boolean holds(int shard) {
        return heldNow.contains(shard);
    }

    boolean holdsAny() {
        return !heldNow.isEmpty();
    }

    /** The shards held now, ascending. */
    Set<Integer> held() {
        return heldNow;
    }

    /** LEADER while holding a shard; STANDBY once an elector knows another holder; else UNKNOWN. */
    synchronized LeadershipState state() {
        if (!held.isEmpty()) {
            return LeadershipState.LEADER;
        }
        for (Leadership l : electors) {
            if (l != null && l.state() == LeadershipState.STANDBY) {
                return LeadershipState.STANDBY;
            }
        }
        // At the cap nothing contends; below it with every Lease held elsewhere, some elector stands by.
        return LeadershipState.UNKNOWN;
    }

    private void acquired(int shard) {
        synchronized (this) {
            if (closed || electors[shard] == null) {
                // An elector already told to stop (its close, queued, releases the Lease).
                return;
            }
            if (held.size() >= cap && !orphans.contains(shard)) {
                // Won a race past the cap (several Leases came free at once): give it back to a peer below its cap.
                LOG.info("{} holds {} shard(s), its cap; gives shard {} back", identity, held.size(), shard);
                stopContending(shard);
                return;
            }
            held.add(shard);
            orphans.remove(shard);
            publish();
            if (held.size() >= cap) {
                for (int i = 0; i < electors.length; i++) {
                    // Adopted orphans stay contended: nobody else is there to take them.
                    if (!held.contains(i) && !orphans.contains(i)) {
                        stopContending(i);
                    }
                }
            }
        }
        LOG.info("{} holds shard {} (Lease {}/{}); now holds {}", identity, shard, namespace, shards.lease(shard), heldNow);
        onAcquired.accept(shard);
    }

    private void lost(int shard) {
        synchronized (this) {
            orphans.remove(shard);
            if (!held.remove(shard)) {
                return;
            }
            publish();
            if (!closed) {
                contendBelowCap();
            }
        }
        LOG.info("{} no longer holds shard {}; now holds {}", identity, shard, heldNow);
        onLost.accept(shard);
    }

    /**
     * The cap spreads shards; it must never leave one unheld. A replica at its cap (contending for nothing else)
     * looks at the other shards' Leases every retry period, and contends past its cap for any that nobody holds:
     * released (no holder) or expired (not renewed within its duration), e.g. when the other replicas are gone
     * or at their caps too. Shards so taken stay here until this replica stops; they are not handed back when a
     * peer returns (rollouts and restarts spread them again).
     */
    private void adoptOrphans() {
        try {
            synchronized (this) {
                if (closed || held.size() < cap) {
                    unheldSince.clear();
                    return;
                }
            }
            Map<String, io.fabric8.kubernetes.api.model.coordination.v1.Lease> leases = new HashMap<>();
            for (var l : client.leases().inNamespace(namespace).list().getItems()) {
                leases.put(l.getMetadata().getName(), l);
            }
            // The Leases' times are written from the wall clock by every replica's elector, so compare with it.
            Instant now = Instant.now();
            synchronized (this) {
                if (closed) {
                    return;
                }
                for (int i = 0; i < electors.length; i++) {
                    if (held.contains(i)) {
                        continue;
                    }
                    var lease = leases.get(shards.lease(i));
                    boolean orphaned = orphaned(lease, now);
                    // Won but not yet reported by the elector's callback: neither orphaned nor anyone else's.
                    boolean mine = !orphaned && identity.equals(lease.getSpec().getHolderIdentity());
                    if (!orphaned) {
                        unheldSince.remove(i);
                    } else {
                        unheldSince.putIfAbsent(i, now);
                    }
                    // A peer below its cap takes a free Lease at its next retry: adopt only what stays free longer.
                    boolean adopt = orphaned && !unheldSince.get(i).plus(settings.retryPeriod().multipliedBy(2)).isAfter(now);
                    if (adopt && electors[i] == null) {
                        LOG.info("{}: shard {} is held by nobody; contends for it past its cap of {}", identity, i, cap);
                        orphans.add(i);
                        contend(i);
                    } else if (!orphaned && !mine && orphans.remove(i)) {
                        // Someone else took it first: back to the cap.
                        stopContending(i);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: could not read the shard Leases: {}", identity, e.toString());
        }
    }

    static boolean orphaned(io.fabric8.kubernetes.api.model.coordination.v1.Lease lease, Instant now) {
        if (lease == null || lease.getSpec() == null) {
            return true;
        }
        var spec = lease.getSpec();
        if (spec.getHolderIdentity() == null || spec.getHolderIdentity().isBlank()) {
            return true;
        }
        if (spec.getRenewTime() == null || spec.getLeaseDurationSeconds() == null) {
            return true;
        }
        return spec.getRenewTime().toInstant().plusSeconds(spec.getLeaseDurationSeconds()).isBefore(now);
    }

    /** Guarded by this. */
    private void contendBelowCap() {
        if (held.size() >= cap) {
            return;
        }
        for (int i = 0; i < electors.length; i++) {
            if (electors[i] == null) {
                contend(i);
            }
        }
    }

    /** Guarded by this. */
    private void contend(int shard) {
        Leadership l = new Leadership(client, settings, identity, namespace, shards.lease(shard),
                () -> acquired(shard), () -> lost(shard));
        electors[shard] = l;
        async.execute(l::start);
    }

    /** Guarded by this. Closing releases the Lease if held (releaseOnCancel). */
    private void stopContending(int shard) {
        Leadership l = electors[shard];
        electors[shard] = null;
        if (l != null) {
            async.execute(l::close);
        }
    }

    /** Guarded by this. */
    private void publish() {
        heldNow = java.util.Collections.unmodifiableSet(new TreeSet<>(held));
        for (int i = 0; i < electors.length; i++) {
            heldGauge.labelValues(String.valueOf(i)).set(held.contains(i) ? 1 : 0);
        }
    }

    /** Leaves every election and releases the held Leases before returning. */
    @Override
    public void close() {
        List<Leadership> all = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (int i = 0; i < electors.length; i++) {
                if (electors[i] != null) {
                    all.add(electors[i]);
                    electors[i] = null;
                }
            }
            held.clear();
            publish();
        }
        async.shutdownNow();
        // On this thread, so the Leases are released when close returns (a start still queued was dropped above
        // and would do nothing on a closed elector anyway).
        for (Leadership l : all) {
            try {
                l.close();
            } catch (RuntimeException e) {
                LOG.warn("{}: could not release a shard Lease: {}", identity, e.toString());
            }
        }
    }
}

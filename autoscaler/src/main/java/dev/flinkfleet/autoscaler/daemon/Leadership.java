package dev.flinkfleet.autoscaler.daemon;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.flinkfleet.autoscaler.http.LeadershipState;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;

/**
 * Takes part in leader election on a coordination.k8s.io Lease with fabric8's {@code LeaderElector}. fabric8's
 * elector stops for good once it loses the lease; this class starts it again (after one retry period), so a
 * replica that lost leadership stays a candidate. Releases the lease on {@link #close()} so a standby takes
 * over at once instead of after a lease duration.
 */
final class Leadership implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    private final KubernetesClient client;
    private final DaemonSettings.LeaderElection settings;
    private final String identity;
    private final String namespace;
    private final String leaseName;
    private final Runnable onStart;
    private final Runnable onStop;
    private volatile LeadershipState state = LeadershipState.UNKNOWN;
    private volatile boolean closed;
    private CompletableFuture<?> running;

    Leadership(KubernetesClient client, DaemonSettings.LeaderElection settings, String identity, String namespace,
               Runnable onStart, Runnable onStop) {
        this(client, settings, identity, namespace, settings.leaseName(), onStart, onStop);
    }

    /** @param leaseName the Lease to contend for (a shard's, see {@link ShardMap#lease}) */
    Leadership(KubernetesClient client, DaemonSettings.LeaderElection settings, String identity, String namespace, String leaseName,
               Runnable onStart, Runnable onStop) {
        this.leaseName = Objects.requireNonNull(leaseName, "leaseName");
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.onStart = onStart;
        this.onStop = onStop;
    }

    synchronized void start() {
        if (closed || running != null && !running.isDone()) {
            return;
        }
        LeaderElectionConfig config = new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new LeaseLock(namespace, leaseName, identity))
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(this::started, this::stopped, this::newLeader))
                .build();
        LOG.info("joining leader election on Lease {}/{} as {}", namespace, leaseName, identity);
        CompletableFuture<?> f = client.leaderElector().withConfig(config).build().start();
        running = f;
        f.whenComplete((ok, error) -> {
            if (closed) {
                return;
            }
            LOG.info("leader election on {}/{} ended ({}); joining again", namespace, leaseName,
                    error == null ? "lost the lease" : error.toString());
            CompletableFuture.runAsync(this::start,
                    CompletableFuture.delayedExecutor(settings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS));
        });
    }

    LeadershipState state() {
        return state;
    }

    boolean isLeader() {
        return state == LeadershipState.LEADER;
    }

    String identity() {
        return identity;
    }

    private void started() {
        LOG.info("{} is now the leader (Lease {}/{})", identity, namespace, leaseName);
        state = LeadershipState.LEADER;
        run(onStart);
    }

    private void stopped() {
        boolean was = state == LeadershipState.LEADER;
        state = closed ? LeadershipState.UNKNOWN : LeadershipState.STANDBY;
        if (was) {
            LOG.info("{} stopped leading", identity);
            run(onStop);
        }
    }

    private void newLeader(String leader) {
        if (!identity.equals(leader)) {
            LOG.info("leader is {}; {} stands by", leader, identity);
            boolean was = state == LeadershipState.LEADER;
            state = LeadershipState.STANDBY;
            if (was) {
                run(onStop);
            }
        }
    }

    private static void run(Runnable r) {
        if (r == null) {
            return;
        }
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("leadership callback failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        CompletableFuture<?> f;
        synchronized (this) {
            closed = true;
            f = running;
        }
        if (f != null) {
            // Cancelling releases the lease (releaseOnCancel), so a standby need not wait out the lease.
            f.cancel(true);
        }
        state = LeadershipState.UNKNOWN;
    }
}

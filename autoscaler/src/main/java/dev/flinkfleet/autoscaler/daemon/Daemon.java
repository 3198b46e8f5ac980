package dev.flinkfleet.autoscaler.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.typesafe.config.Config;

import dev.flinkfleet.autoscaler.http.AdminServer;
import dev.flinkfleet.autoscaler.http.Health;
import dev.flinkfleet.autoscaler.http.JobBoard;
import dev.flinkfleet.autoscaler.http.LeadershipState;
import dev.flinkfleet.autoscaler.config.Secrets;
import dev.flinkfleet.autoscaler.flinkrest.FlinkRestActuator;
import dev.flinkfleet.autoscaler.flinkrest.FlinkRestDiscovery;
import dev.flinkfleet.autoscaler.flinkrest.FlinkRestSettings;
import dev.flinkfleet.autoscaler.kafka.KafkaSignalSettings;
import dev.flinkfleet.autoscaler.kubernetes.AnnotationStateStore;
import dev.flinkfleet.autoscaler.kubernetes.EventRecorder;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentActuator;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentWatcher;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeployments;
import dev.flinkfleet.autoscaler.kubernetes.KubernetesSettings;
import dev.flinkfleet.autoscaler.kubernetes.OperatorConfigSettings;
import dev.flinkfleet.autoscaler.kubernetes.OperatorConfigSource;
import dev.flinkfleet.autoscaler.kubernetes.OperatorCoexistenceActuator;
import dev.flinkfleet.autoscaler.prometheus.PromSignalReader;
import dev.flinkfleet.autoscaler.prometheus.PrometheusClient;
import dev.flinkfleet.autoscaler.prometheus.PrometheusSettings;
import dev.flinkfleet.policies.ActuationMode;
import dev.flinkfleet.policies.ControlLoop;
import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.InMemoryStateStore;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.signals.BacklogSignals;
import dev.flinkfleet.policies.StateStore;
import dev.flinkfleet.policies.config.PolicyFileException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The production daemon, wired by hand: informers on FlinkDeployments, one batched Kafka reader per cluster
 * and fleet-wide Prometheus queries behind guards, the control loop, an actuator per actuation mode behind the
 * fleet rescale budget, governor state in annotations, events, metrics, the decision log, the /jobs board, the
 * admin HTTP server and leader election. One thread runs cycles; only the leader runs them, a standby keeps its
 * informers warm so it can take over within a lease duration. This class only builds the collaborators and
 * starts and stops them: {@link FleetCycle} runs a cycle, {@link FleetBinding} binds the fleet into plans,
 * {@link PolicyReloader} reloads policy files, {@link CycleListeners} fans the outcomes out.
 */
public final class Daemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final DaemonSettings settings;
    private final Clock clock;
    private final String identity;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final DaemonMetrics metrics;
    private final FlinkDeploymentWatcher watcher;
    private final List<AutoCloseable> readers = new ArrayList<>();
    private final FleetSignalSource source;
    private final FleetBinding binding;
    private final CycleListeners listeners;
    private final FleetCycle cycle;
    private final Health health;
    private final AdminServer admin;
    private final ShardLeases leadership;
    private final ShardMap shards;
    private final boolean kubernetesEnabled;
    private ScheduledExecutorService scheduler;
    /**
     * Sends Kubernetes events off the loop; past {@value #EVENT_BACKLOG} waiting, new ones are dropped (and counted
     * in the log): a waiting event holds ~2 KB, and a fleet-wide change of hold reason at 30,000 jobs would otherwise
     * queue 60 MB of them in a 512 MiB heap.
     */
    private final java.util.concurrent.ThreadPoolExecutor eventSender = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0,
            TimeUnit.MILLISECONDS, new java.util.concurrent.ArrayBlockingQueue<>(Daemon.EVENT_BACKLOG), r -> {
                Thread t = new Thread(r, "kubernetes-events");
                t.setDaemon(true);
                return t;
            });
    private static final int EVENT_BACKLOG = 2_000;
    private volatile boolean started;
    private volatile boolean closed;

    private Daemon(Config root, KubernetesClient client, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(client, "client");
        this.settings = DaemonSettings.fromConfig(root);
        KubernetesSettings kubernetes = KubernetesSettings.fromConfig(root);
        this.kubernetesEnabled = kubernetes.enabled();
        PrometheusSettings prom = PrometheusSettings.fromConfig(root);
        KafkaSignalSettings kafkaSettings = KafkaSignalSettings.fromConfig(root);
        PolicyReloader policies = new PolicyReloader(settings.policiesDir(), settings.reloadPolicies(),
                apps -> new JobBinder(apps, kubernetes.actuator().mode(), settings.defaultKafkaCluster(), settings.kafkaClusters().keySet()));

        this.identity = settings.leaderElection().identityOr(System::getenv, hostname());
        this.shards = new ShardMap(settings.leaderElection().shards(), settings.leaderElection().leaseName());
        this.metrics = new DaemonMetrics(registry, MetricsSettings.fromConfig(root));
        BuildInfo.load().register(registry);
        JvmMetrics.builder().register(registry);
        this.watcher = new FlinkDeploymentWatcher(client, kubernetes.namespaces(), kubernetes.labelSelector());

        Map<String, FleetSignalSource.KafkaBackend> kafka = new LinkedHashMap<>();
        for (DaemonSettings.KafkaCluster c : settings.kafkaClusters().values()) {
            // A cluster whose client cannot be built yet (DNS, bad JAAS) is logged and retried; the daemon starts.
            KafkaConnection connection = new KafkaConnection(c, kafkaSettings, clock);
            readers.add(connection);
            BackendHealth health = new BackendHealth("kafka:" + c.name(), "Kafka cluster '" + c.name() + "'", c.origin(),
                    Secrets.secretValues(c.adminConfig()), clock, metrics);
            RuntimeException failure = connection.connect();
            if (failure != null) {
                health.failed(failure);
            }
            kafka.put(c.name(), new FleetSignalSource.KafkaBackend(connection, guard("kafka:" + c.name()), new BacklogSignals(kafkaSettings.offsets()), health));
        }
        FleetSignalSource.PromBackend promBackend = prom.enabled()
                ? new FleetSignalSource.PromBackend(new PromSignalReader(new PrometheusClient(prom.client(), clock), prom), guard("prometheus"),
                        new BackendHealth("prometheus", "Prometheus", null, clock, metrics))
                : null;
        this.source = new FleetSignalSource(kafka, promBackend, kafkaSettings.cycleDeadline());

        // Each plan carries its job's actuation mode; the budget caps rescales across all of them.
        var actuatorSettings = kubernetes.actuator().withDryRun(settings.dryRun());
        // Jobs on Flink REST endpoints (flinkfleet.flink-rest): found each cycle, resized through the REST API.
        FlinkRestSettings rest = FlinkRestSettings.fromConfig(root);
        FlinkRestDiscovery restDiscovery = rest.clusters().isEmpty() ? null : new FlinkRestDiscovery(rest.clients());
        var operatorDefaults = OperatorConfigSource.from(client, OperatorConfigSettings.fromConfig(root));
        PerJobModeActuator byMode = new PerJobModeActuator(m -> m == ActuationMode.FLINK_REST
                ? new FlinkRestActuator(restDiscovery == null ? job -> null : restDiscovery::job, actuatorSettings.dryRun(), this::isLeader)
                : new OperatorCoexistenceActuator(client, operatorDefaults, actuatorSettings, this::isLeader,
                        new FlinkDeploymentActuator(client, actuatorSettings.withMode(m), metrics::conflict, this::isLeader)));
        // Split across shards: the replicas together stay within the fleet's budget (ShardBudget).
        ShardBudgetActuator budget = new ShardBudgetActuator(byMode, shards, settings.rescalesPerMinute(), Duration.ofMinutes(1), clock,
                this::holdsShard);

        // Events are best effort and go out from their own thread: a fleet-wide change of hold reason (e.g. the
        // first minutes after a start, before growth windows fill) is one POST per job, which would stall the cycle.
        EventRecorder events = new EventRecorder(client, clock, identity, watcher::view, eventSender);
        // Only the jobs of the shards held here are bound, read and decided.
        this.binding = new FleetBinding(policies::current, this::governedViews,
                restDiscovery == null ? List::of : () -> restDiscovery.discover().jobs().values().stream().filter(r -> governs(r.ref())).toList(),
                events, metrics, job -> source.unavailable().get(job));
        StateStore store;
        AnnotationStateStore annotationStore;
        if (settings.dryRun() || !kubernetesEnabled) {
            // A dry run writes nothing to the API server, not even governor state; without Kubernetes there is none.
            annotationStore = null;
            store = new InMemoryStateStore();
        } else {
            annotationStore = new AnnotationStateStore(client, watcher::view, clock, kubernetes.stateHistoryWriteInterval(), binding::workers,
                    (job, problem) -> events.annotationProblem(job, FlinkDeployments.ANNOTATION_GOVERNOR_STATE, problem));
            // Flink REST jobs have no object to annotate: their state lives in this process's memory.
            store = new RoutedStateStore(this::isRestJob, new InMemoryStateStore(), annotationStore);
        }
        JobBoard board = new JobBoard(clock, settings.http().jobHistory(), settings.http().jobBoardMaxBytes());
        watcher.onDeleted(job -> {
            if (annotationStore != null) {
                annotationStore.forget(job);
            }
            events.forget(job);
            binding.forget(job);
        });
        this.listeners = new CycleListeners(List.of(metrics, new DecisionLog(),
                new SomeJobsListener(events, o -> o.plan().mode() != ActuationMode.FLINK_REST), board));
        TimedActuator timed = new TimedActuator(budget);
        ControlLoop loop = new ControlLoop(clock, source, timed, store, listeners);

        if (settings.leaderElection().enabled()) {
            String ns = settings.leaderElection().namespaceOr(System::getenv, client.getNamespace());
            this.leadership = new ShardLeases(client, settings.leaderElection(), shards, identity, ns, registry, this::acquiredShard,
                    this::lostShard);
        } else {
            this.leadership = null;
        }
        LeadershipMetrics.register(registry, this::isLeader, shards.shards(), this::heldShards, leadership == null);
        this.health = new Health(clock, settings.interval(), settings.staleMultiple(), this::informersSynced, this::leadershipState);
        this.cycle = new FleetCycle(clock, watcher, policies, binding, loop, annotationStore, metrics, board, health, () -> isLeader() && !closed,
                kubernetesEnabled);
        cycle.timedBy(source, timed);
        this.admin = new AdminServer(settings.http().bindAddress(), settings.http().port(), settings.http().threads(), registry, health, board);
        if (leadership != null && shards.shards() > 1) {
            admin.shards(new AdminServer.Shards() {
                @Override
                public String held() {
                    return heldShards().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")) + " of " + shards.shards();
                }

                @Override
                public String notHere(JobRef job) {
                    int s = shards.shardOf(job);
                    return holdsShard(s) ? null : "its shard " + s + " (Lease " + shards.lease(s) + ") is held by another replica";
                }
            });
        }
        LOG.info("daemon {}: {} applications from {}, {} Kafka clusters, {} Flink REST endpoints, Prometheus {}, leader election {}{}", identity,
                policies.current().applications().all().size(), settings.policiesDir(), kafka.size(), rest.clusters().size(),
                prom.enabled() ? Secrets.maskUrl(prom.client().baseUrl()) : "off",
                leadership == null ? "off" : shards.shards() == 1 ? "on" : "on, " + shards.shards() + " shards", settings.dryRun() ? ", DRY RUN (patches nothing)" : "");
        if (!kubernetesEnabled) {
            LOG.info("Kubernetes off (flinkfleet.kubernetes.enabled = false): governing only the jobs on {}", rest.clusters().keySet());
        }
    }

    /**
     * Builds a daemon from a resolved config with both reference.conf files merged in. Reads and validates the
     * config and the policy files; starts nothing.
     *
     * @throws com.typesafe.config.ConfigException naming file, line and key on a bad setting
     * @throws PolicyFileException                 listing every problem of the policy files
     */
    public static Daemon create(Config root, KubernetesClient client, Clock clock) {
        return new Daemon(root, client, clock);
    }

    /** Starts the informers, the admin HTTP server, leader election (if enabled) and the cycle schedule. */
    public synchronized void start() {
        if (started || closed) {
            throw new IllegalStateException(closed ? "daemon closed" : "daemon already started");
        }
        started = true;
        try {
            admin.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the admin server on " + settings.http().bindAddress() + ":" + settings.http().port(), e);
        }
        CompletableFuture<?> informerStart = kubernetesEnabled ? watcher.start() : CompletableFuture.completedFuture(null);
        cycle.informersStarting(informerStart);
        informerStart.whenComplete((ok, e) -> {
            if (e != null) {
                LOG.error("FlinkDeployment informers failed to start: {}", e.toString());
            } else if (kubernetesEnabled) {
                LOG.info("FlinkDeployment informers synced: {} deployments", watcher.views().size());
            }
        });
        if (leadership != null) {
            leadership.start();
        } else {
            health.markCycle(clock.instant());
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "control-loop");
            t.setDaemon(true);
            return t;
        });
        long ms = settings.interval().toMillis();
        // Fixed delay: a slow cycle pushes the next one back instead of queueing cycles behind it.
        scheduler.scheduleWithFixedDelay(this::scheduledCycle, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Observes every job outcome and cycle (call before {@link #start()}). Must not throw. */
    public void addListener(CycleListener l) {
        listeners.add(l);
    }

    public int httpPort() {
        return admin.port();
    }

    /** True once the FlinkDeployment informers have listed every watched namespace (always, without Kubernetes). */
    public boolean informersSynced() {
        return !kubernetesEnabled || watcher.hasSynced();
    }

    /** True while this replica holds a shard (the Lease, with one shard), or without leader election. */
    public boolean isLeader() {
        return leadership == null || leadership.holdsAny();
    }

    /** The shards whose Leases this replica holds now (all of them without leader election). */
    public java.util.Set<Integer> heldShards() {
        if (leadership == null) {
            java.util.Set<Integer> all = new java.util.TreeSet<>();
            for (int i = 0; i < shards.shards(); i++) {
                all.add(i);
            }
            return all;
        }
        return leadership.held();
    }

    /** The shard of {@code job} (always 0 with one shard). */
    public int shardOf(JobRef job) {
        return shards.shardOf(job);
    }

    private boolean holdsShard(int shard) {
        return leadership == null || leadership.holds(shard);
    }

    /** This replica decides {@code job}: it holds the job's shard. */
    private boolean governs(JobRef job) {
        return holdsShard(shards.shardOf(job));
    }

    private Map<JobRef, dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentView> governedViews() {
        var all = watcher.views();
        if (shards.shards() == 1) {
            return all;
        }
        Map<JobRef, dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentView> mine = new LinkedHashMap<>();
        all.forEach((job, view) -> {
            if (governs(job)) {
                mine.put(job, view);
            }
        });
        return mine;
    }

    /**
     * Runs one cycle now, on the caller's thread (tests, the demo). An empty list when not the leader, or when
     * the informers have not synced within 30 s.
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public List<JobOutcome> runCycleNow() {
        if (!started) {
            throw new IllegalStateException("start() the daemon before running cycles");
        }
        return cycle.run();
    }

    /** Where the last cycle's time went (bind, Kafka, Prometheus, decisions, patches), for {@code bench fleet}. */
    public CycleTimings lastCycleTimings() {
        return cycle.lastTimings();
    }

    private void scheduledCycle() {
        if (!isLeader() || !informersSynced()) {
            return;
        }
        try {
            runCycleNow();
        } catch (Throwable t) {
            // Never let an exception cancel the schedule (a ScheduledExecutorService silently stops on one).
            metrics.cycleError();
            LOG.error("control cycle failed; next one in {}", settings.interval(), t);
        }
    }

    /** A job bound last cycle as found on a Flink REST endpoint. */
    private boolean isRestJob(JobRef job) {
        JobBinder.Bound b = binding.bound().get(job);
        return b != null && b.mode() == ActuationMode.FLINK_REST;
    }

    private GuardedBackend guard(String name) {
        DaemonSettings.Guard g = settings.guard();
        return new GuardedBackend(name, g.attempts(), g.firstBackoff(), g.openFor(), metrics, clock);
    }

    private LeadershipState leadershipState() {
        return leadership == null ? LeadershipState.LEADER : leadership.state();
    }

    private void acquiredShard(int shard) {
        // Liveness counts from now, not from the last cycle this replica ran as an earlier leader.
        health.markCycle(clock.instant());
    }

    private void lostShard(int shard) {
        if (leadership.holdsAny()) {
            cycle.lostShard(job -> shards.shardOf(job) == shard);
        } else {
            cycle.lostLeadership();
            // A standby decides nothing: its last cycle's jobs must not stay on /metrics beside the new leader's.
            metrics.forgetJobs();
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "flinkfleet-" + ProcessHandle.current().pid();
        }
    }

    /** Stops the schedule, flushes governor state, leaves the election, stops informers, readers and HTTP. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (scheduler != null) {
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                    scheduler.shutdownNow();
                }
            } catch (InterruptedException e) {
                scheduler.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        cycle.flush(leadership == null || leadership.holdsAny());
        eventSender.shutdown();
        try {
            if (!eventSender.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("{} Kubernetes events not sent before shutdown", eventSender.shutdownNow().size());
            }
        } catch (InterruptedException e) {
            eventSender.shutdownNow();
            Thread.currentThread().interrupt();
        }
        closeQuietly(leadership);
        closeQuietly(admin);
        closeQuietly(watcher);
        closeQuietly(source);
        readers.forEach(Daemon::closeQuietly);
        LOG.info("daemon {} stopped", identity);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
        }
    }

    /**
     * For tests: FlinkDeployments in the informer index. The informer reports "synced" once its list is
     * cached, a moment before its handlers have filled the index.
     */
    int watchedJobs() {
        return watcher.views().size();
    }

    /** For tests: waits until the Kubernetes events of past cycles have been sent (at most {@code timeout}). */
    boolean awaitEventsSent(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (eventSender.getQueue().size() + eventSender.getActiveCount() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** For tests: the mode each bound job is actuated with. */
    Map<JobRef, ActuationMode> modes() {
        Map<JobRef, ActuationMode> m = new HashMap<>();
        binding.bound().forEach((j, b) -> m.put(j, b.mode()));
        return m;
    }
}

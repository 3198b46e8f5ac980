package dev.flinkfleet.autoscaler.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.typesafe.config.Config;

import dev.flinkfleet.autoscaler.http.AdminServer;
import dev.flinkfleet.autoscaler.http.Health;
import dev.flinkfleet.autoscaler.http.JobBoard;
import dev.flinkfleet.autoscaler.http.LeadershipState;
import dev.flinkfleet.autoscaler.config.Secrets;
import dev.flinkfleet.autoscaler.kafka.KafkaSignalSettings;
import dev.flinkfleet.autoscaler.kubernetes.ActuationMode;
import dev.flinkfleet.autoscaler.kubernetes.AnnotationStateStore;
import dev.flinkfleet.autoscaler.kubernetes.EventRecorder;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentActuator;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentView;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentWatcher;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeployments;
import dev.flinkfleet.autoscaler.kubernetes.KubernetesSettings;
import dev.flinkfleet.autoscaler.prometheus.PromSignalReader;
import dev.flinkfleet.autoscaler.prometheus.PrometheusClient;
import dev.flinkfleet.autoscaler.prometheus.PrometheusSettings;
import dev.flinkfleet.policies.ControlLoop;
import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.InMemoryStateStore;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobPlan;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.signals.BacklogSignals;
import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.StateStore;
import dev.flinkfleet.policies.config.Applications;
import dev.flinkfleet.policies.config.PolicyFileException;
import dev.flinkfleet.policies.config.PolicyFiles;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The production daemon, wired by hand: informers on FlinkDeployments, one batched Kafka reader per cluster
 * and fleet-wide Prometheus queries behind guards, the control loop, an actuator per actuation mode behind the
 * fleet rescale budget, governor state in annotations, events, metrics, the decision log, the /jobs board, the
 * admin HTTP server and leader election. One thread runs cycles; only the leader runs them, a standby keeps its
 * informers warm so it can take over within a lease duration.
 */
public final class Daemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    private static final Duration SYNC_WAIT = Duration.ofSeconds(30);

    private final DaemonSettings settings;
    private final KubernetesSettings kubernetes;
    private final Clock clock;
    private final String identity;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final DaemonMetrics metrics;
    private final Counter cycleErrors;
    private final FlinkDeploymentWatcher watcher;
    private final List<AutoCloseable> readers = new ArrayList<>();
    private final FleetSignalSource source;
    private final AnnotationStateStore annotationStore;
    private final EventRecorder events;
    private final JobBoard board;
    private final List<CycleListener> extraListeners = new CopyOnWriteArrayList<>();
    private final ControlLoop loop;
    private final Health health;
    private final AdminServer admin;
    private final Leadership leadership;
    private final Object cycleLock = new Object();
    private final Map<JobRef, String> reported = new ConcurrentHashMap<>();
    private volatile Map<JobRef, JobBinder.Bound> bound = Map.of();
    private volatile JobBinder binder;
    private String policyFingerprint;
    private String rejectedFingerprint;
    private ScheduledExecutorService scheduler;
    private volatile boolean started;
    private volatile boolean closed;

    private Daemon(Config root, KubernetesClient client, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(client, "client");
        this.settings = DaemonSettings.fromConfig(root);
        this.kubernetes = KubernetesSettings.fromConfig(root);
        PrometheusSettings prom = PrometheusSettings.fromConfig(root);
        KafkaSignalSettings kafkaSettings = KafkaSignalSettings.fromConfig(root);
        this.policyFingerprint = fingerprint(settings.policiesDir());
        Applications apps = new Applications(PolicyFiles.loadDir(settings.policiesDir(), PolicyRegistry.builtIn()));
        this.binder = newBinder(apps);

        this.identity = settings.leaderElection().identityOr(System::getenv, hostname());
        this.metrics = new DaemonMetrics(registry);
        this.cycleErrors = Counter.builder().name("flinkfleet_cycle_errors_total")
                .help("Control cycles that threw; each is logged and the schedule continues").register(registry);
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
        this.source = new FleetSignalSource(kafka, promBackend, job -> {
            JobBinder.Bound b = bound.get(job);
            return b == null ? null : b.wiring();
        }, kafkaSettings.cycleDeadline());

        var actuatorSettings = kubernetes.actuator().withDryRun(settings.dryRun());
        PerJobModeActuator byMode = new PerJobModeActuator(m -> new FlinkDeploymentActuator(client, actuatorSettings.withMode(m), metrics::conflict,
                        this::isLeader),
                job -> {
                    JobBinder.Bound b = bound.get(job);
                    return b == null ? null : b.mode();
                });
        FleetBudgetActuator budget = new FleetBudgetActuator(byMode, settings.rescalesPerMinute(), Duration.ofMinutes(1));

        this.events = new EventRecorder(client, clock, identity, watcher::view);
        StateStore store;
        if (settings.dryRun()) {
            // A dry run writes nothing to the API server, not even governor state.
            this.annotationStore = null;
            store = new InMemoryStateStore();
        } else {
            this.annotationStore = new AnnotationStateStore(client, watcher::view, clock, kubernetes.stateHistoryWriteInterval(),
                    job -> {
                        JobBinder.Bound b = bound.get(job);
                        return b == null ? null : b.wiring().workers();
                    },
                    (job, problem) -> events.annotationProblem(job, FlinkDeployments.ANNOTATION_GOVERNOR_STATE, problem));
            store = annotationStore;
        }
        this.board = new JobBoard(clock, settings.http().jobHistory());
        watcher.onDeleted(job -> {
            if (annotationStore != null) {
                annotationStore.forget(job);
            }
            events.forget(job);
            reported.remove(job);
        });
        List<CycleListener> listeners = List.of(metrics, new DecisionLog(), events, board);
        this.loop = new ControlLoop(clock, source, budget, store, new FanOut(listeners, extraListeners));

        if (settings.leaderElection().enabled()) {
            String ns = settings.leaderElection().namespaceOr(System::getenv, client.getNamespace());
            this.leadership = new Leadership(client, settings.leaderElection(), identity, ns, this::becameLeader, this::lostLeadership);
        } else {
            this.leadership = null;
        }
        this.health = new Health(clock, settings.interval(), settings.staleMultiple(), watcher::hasSynced, this::leadershipState);
        this.admin = new AdminServer(settings.http().bindAddress(), settings.http().port(), settings.http().threads(), registry, health, board);
        LOG.info("daemon {}: {} applications from {}, {} Kafka clusters, Prometheus {}, leader election {}{}", identity, apps.all().size(),
                settings.policiesDir(), kafka.size(), prom.enabled() ? Secrets.maskUrl(prom.client().baseUrl()) : "off",
                leadership == null ? "off" : "on", settings.dryRun() ? ", DRY RUN (patches nothing)" : "");
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
    private volatile java.util.concurrent.CompletableFuture<?> informerStart = java.util.concurrent.CompletableFuture.completedFuture(null);

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
        informerStart = watcher.start();
        informerStart.whenComplete((ok, e) -> {
            if (e != null) {
                LOG.error("FlinkDeployment informers failed to start: {}", e.toString());
            } else {
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
        extraListeners.add(Objects.requireNonNull(l, "listener"));
    }

    public int httpPort() {
        return admin.port();
    }

    /** True once the FlinkDeployment informers have listed every watched namespace. */
    public boolean informersSynced() {
        return watcher.hasSynced();
    }

    public boolean isLeader() {
        return leadership == null || leadership.isLeader();
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
        if (!isLeader() || closed) {
            return List.of();
        }
        try {
            informerStart.get(SYNC_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
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
            if (!watcher.awaitSynced(SYNC_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("informers not synced yet; skipping the cycle");
                return List.of();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        synchronized (cycleLock) {
            if (!isLeader() || closed) {
                return List.of();
            }
            long t0 = System.nanoTime();
            reloadPoliciesIfChanged();
            List<JobPlan> plans = bindAll();
            List<JobOutcome> outcomes = loop.runCycle(plans);
            metrics.observeCycleSeconds((System.nanoTime() - t0) / 1e9);
            health.markCycle(clock.instant());
            return outcomes;
        }
    }

    private void scheduledCycle() {
        if (!isLeader() || !watcher.hasSynced()) {
            return;
        }
        try {
            runCycleNow();
        } catch (Throwable t) {
            // Never let an exception cancel the schedule (a ScheduledExecutorService silently stops on one).
            cycleErrors.inc();
            LOG.error("control cycle failed; next one in {}", settings.interval(), t);
        }
    }

    /** Binds every watched job; reports (once per change) jobs that cannot be governed. */
    private List<JobPlan> bindAll() {
        JobBinder b = binder;
        Map<JobRef, JobBinder.Bound> next = new LinkedHashMap<>();
        Set<JobRef> seen = new HashSet<>();
        for (FlinkDeploymentView v : watcher.views().values()) {
            seen.add(v.job());
            events.annotationProblems(v.job(), v.annotationProblems());
            JobBinder.Binding binding = b.bind(v);
            String report;
            if (binding instanceof JobBinder.Bound bd) {
                next.put(bd.job(), bd);
                metrics.jobLimits(bd.job(), bd.application().name(), bd.application().governorConfig().maxWorkers(),
                        bd.application().slaLatency().toMillis() / 1000.0);
                report = bd.notes().isEmpty() ? "" : "governed by " + bd.application().name() + "; " + String.join("; ", bd.notes());
            } else {
                JobBinder.Unbound u = (JobBinder.Unbound) binding;
                report = u.problem() + ": " + u.reason();
                if (u.isError()) {
                    // Told on the object itself too; EventRecorder emits only when the reason changes.
                    events.hold(u.job(), ReasonCode.HOLD_ERROR, "not autoscaled: " + u.reason());
                }
            }
            if (!report.equals(reported.put(v.job(), report)) && !report.isEmpty()) {
                boolean error = binding instanceof JobBinder.Unbound u && u.isError();
                if (error) {
                    LOG.warn("{}: held, {}", v.job(), report);
                } else {
                    LOG.info("{}: {}", v.job(), report);
                }
            }
        }
        reported.keySet().retainAll(seen);
        bound = Map.copyOf(next);
        // Jobs whose backend is down this cycle hold with the backend named (looked up when the loop decides).
        return next.values().stream().map(JobBinder.Bound::plan)
                .map(p -> new JobPlan(p.job(), p.application(), p.policy(), new BackendHoldGovernor(p.governor(), job -> source.unavailable().get(job))))
                .toList();
    }

    private void reloadPoliciesIfChanged() {
        if (!settings.reloadPolicies()) {
            return;
        }
        String now = fingerprint(settings.policiesDir());
        if (now.equals(policyFingerprint) || now.equals(rejectedFingerprint)) {
            return;
        }
        try {
            Applications apps = new Applications(PolicyFiles.loadDir(settings.policiesDir(), PolicyRegistry.builtIn()));
            binder = newBinder(apps);
            policyFingerprint = now;
            rejectedFingerprint = null;
            LOG.info("policy files in {} changed; reloaded {} applications", settings.policiesDir(), apps.all().size());
        } catch (PolicyFileException e) {
            rejectedFingerprint = now;
            LOG.error("policy files in {} changed but do not validate; keeping the previous ones:\n  {}", settings.policiesDir(),
                    String.join("\n  ", e.errors()));
        }
    }

    private JobBinder newBinder(Applications apps) {
        return new JobBinder(apps, kubernetes.actuator().mode(), settings.defaultKafkaCluster(), settings.kafkaClusters().keySet());
    }

    /** Names, sizes and modification times of the policy files: cheap enough to compute every cycle. */
    static String fingerprint(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            StringBuilder sb = new StringBuilder();
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".conf")).sorted().toList()) {
                sb.append(p.getFileName()).append(':').append(Files.size(p)).append(':').append(Files.getLastModifiedTime(p).toMillis()).append(';');
            }
            return sb.toString();
        } catch (IOException | UncheckedIOException e) {
            return "unreadable:" + e;
        }
    }

    private GuardedBackend guard(String name) {
        DaemonSettings.Guard g = settings.guard();
        return new GuardedBackend(name, g.attempts(), g.firstBackoff(), g.openFor(), metrics);
    }

    private LeadershipState leadershipState() {
        return leadership == null ? LeadershipState.LEADER : leadership.state();
    }

    private void becameLeader() {
        // Liveness counts from now, not from the last cycle this replica ran as an earlier leader.
        health.markCycle(clock.instant());
    }

    private void lostLeadership() {
        synchronized (cycleLock) {
            if (annotationStore != null) {
                // Whatever is still unwritten goes out now; then forget it all, since the next leader owns it.
                annotationStore.flush();
                watcher.views().keySet().forEach(annotationStore::forget);
            }
            bound = Map.of();
            Instant now = clock.instant();
            // Per-job series and the board are the leader's; a standby must not export stale decisions.
            metrics.onCycle(now, List.of());
            board.onCycle(now, List.of());
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
        synchronized (cycleLock) {
            if (annotationStore != null && (leadership == null || leadership.isLeader())) {
                try {
                    annotationStore.flush();
                } catch (RuntimeException e) {
                    LOG.warn("could not flush governor state on shutdown: {}", e.toString());
                }
            }
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

    /** Calls every listener; one that throws is logged and does not stop the others. */
    private record FanOut(List<CycleListener> fixed, List<CycleListener> extra) implements CycleListener {
        @Override
        public void onJob(JobOutcome o) {
            each(l -> l.onJob(o));
        }

        @Override
        public void onSourceFailure(Instant now, Exception error) {
            each(l -> l.onSourceFailure(now, error));
        }

        @Override
        public void onCycle(Instant now, List<JobOutcome> outcomes) {
            each(l -> l.onCycle(now, outcomes));
        }

        private void each(java.util.function.Consumer<CycleListener> call) {
            for (List<CycleListener> list : List.of(fixed, extra)) {
                for (CycleListener l : list) {
                    try {
                        call.accept(l);
                    } catch (RuntimeException e) {
                        LOG.warn("cycle listener {} failed: {}", l.getClass().getSimpleName(), e.toString());
                    }
                }
            }
        }
    }

    /**
     * For tests: FlinkDeployments in the informer index. The informer reports "synced" once its list is
     * cached, a moment before its handlers have filled the index.
     */
    int watchedJobs() {
        return watcher.views().size();
    }

    /** For tests: the mode each bound job is actuated with. */
    Map<JobRef, ActuationMode> modes() {
        Map<JobRef, ActuationMode> m = new HashMap<>();
        bound.forEach((j, b) -> m.put(j, b.mode()));
        return m;
    }

}

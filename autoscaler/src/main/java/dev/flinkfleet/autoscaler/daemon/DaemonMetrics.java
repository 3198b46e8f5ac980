package dev.flinkfleet.autoscaler.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.SignalKind;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The daemon's own metrics, fed from the control loop. Fleet aggregates (jobs by application and reason, signal
 * quality, workers, decisions, rescales, the SLA ratio) are always exported; series of one job only for the jobs
 * that need attention ({@link JobAttention}, at most {@link MetricsSettings#maxJobs()}) or, by opt-in, for every
 * job, so a scrape of 30,000 jobs stays a few megabytes. Per-job series carry {@code flink_namespace} and
 * {@code flink_job}: {@code namespace} and {@code job} are the target labels Prometheus (and the Prometheus
 * Operator) set on every scraped series, and would clash.
 */
public final class DaemonMetrics implements CycleListener {

    /** Labels of every per-job series. */
    static final String[] JOB_LABELS = {"flink_namespace", "flink_job", "application"};

    /** One gauge per signal, its unit in the name (Prometheus base units). */
    private static final Map<SignalKind, String[]> SIGNAL_SERIES = new EnumMap<>(Map.of(
            SignalKind.INPUT_RATE, new String[] {"flinkfleet_job_input_records_per_second", "Records arriving per second (Kafka log-end offset rate)"},
            SignalKind.THROUGHPUT, new String[] {"flinkfleet_job_throughput_records_per_second", "Records the job processes per second"},
            SignalKind.BACKLOG, new String[] {"flinkfleet_job_backlog_records", "Records waiting in Kafka (consumer lag)"},
            SignalKind.BACKLOG_GROWTH, new String[] {"flinkfleet_job_backlog_growth_records_per_second",
                    "Change of the backlog in records per second; negative while draining"},
            SignalKind.BACKLOG_TIME, new String[] {"flinkfleet_job_backlog_seconds", "Backlog divided by throughput: seconds to drain at the current rate"},
            SignalKind.CPU, new String[] {"flinkfleet_job_cpu_ratio", "Busy fraction of a worker, 0..1"},
            SignalKind.WATERMARK_LAG, new String[] {"flinkfleet_job_watermark_lag_seconds", "Event-time latency: now minus the slowest sink watermark"}));

    private final MetricsSettings settings;
    private final Counter decisions;
    private final Counter jobErrors;
    private final Counter rescales;
    private final Histogram slaRatio;
    private final Gauge lastCycle;
    private final Gauge signalAge;
    private final Counter backendErrors;
    private final Gauge backendUp;
    private final Gauge backendSuccessAge;
    private final Histogram cycleDuration;
    private final Counter cycleFailures;
    private final Counter cycleErrors;
    private final Counter patches;
    private final Counter conflicts;
    private final Map<String, MetricsSnapshot.Limits> limits = new ConcurrentHashMap<>();
    private final Map<String, Supplier<CircuitBreaker.State>> breakers = new ConcurrentHashMap<>();
    /** Jobs rescaled within the recently-rescaled window, and when; pruned every cycle. */
    private final Map<JobRef, Instant> lastRescale = new HashMap<>();
    /** Jobs failing now, and since when. */
    private final Map<JobRef, Instant> failingSince = new HashMap<>();
    private volatile MetricsSnapshot snapshot = MetricsSnapshot.EMPTY;

    public DaemonMetrics(PrometheusRegistry registry) {
        this(registry, MetricsSettings.DEFAULTS);
    }

    public DaemonMetrics(PrometheusRegistry registry, MetricsSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        // ---- per job (jobs that need attention, or all by opt-in)
        jobGauge(registry, "flinkfleet_job_workers_current", "Workers the job had at the last cycle", MetricsSnapshot.JobRow::currentWorkers);
        jobGauge(registry, "flinkfleet_job_workers_desired", "Workers the autoscaler decided on for the job in the last cycle",
                MetricsSnapshot.JobRow::desiredWorkers);
        jobGauge(registry, "flinkfleet_job_workers_max", "Most workers the job's application allows", MetricsSnapshot.JobRow::maxWorkers);
        jobGauge(registry, "flinkfleet_job_sla_seconds", "Latency SLA of the job's application", MetricsSnapshot.JobRow::slaSeconds);
        jobGauge(registry, "flinkfleet_job_signal_quality", "Worst quality of the signals the job's policy needs: 0 fresh, 1 stale, 2 missing",
                MetricsSnapshot.JobRow::signalQuality);
        jobGauge(registry, "flinkfleet_job_last_decision_timestamp_seconds", "When the autoscaler last made a decision for the job (unix seconds)",
                MetricsSnapshot.JobRow::lastDecisionSeconds);
        jobGauge(registry, "flinkfleet_job_failing_since_timestamp_seconds",
                "Since when deciding or actuating the job has failed in every cycle (unix seconds); absent while it does not fail",
                MetricsSnapshot.JobRow::failingSinceSeconds);
        for (SignalKind k : SignalKind.values()) {
            String[] s = SIGNAL_SERIES.get(k);
            jobGauge(registry, s[0], s[1] + "; absent while the signal is missing", r -> r.signal(k));
        }
        GaugeWithCallback.builder().name("flinkfleet_job_attention")
                .help("1 for each job exported one by one, labelled with the most urgent reason it needs attention (none with per-job = all)")
                .labelNames("flink_namespace", "flink_job", "application", "cause")
                .callback(cb -> {
                    for (MetricsSnapshot.JobRow r : snapshot.jobs()) {
                        cb.call(1, r.job().namespace(), r.job().name(), r.application(), r.cause().label());
                    }
                }).register(registry);

        // ---- fleet aggregates (always)
        GaugeWithCallback.builder().name("flinkfleet_jobs")
                .help("Jobs by application and the reason code of their last decision (HOLD_ERROR when none was made)")
                .labelNames("application", "reason")
                .callback(cb -> snapshot.applications().forEach((app, a) -> a.byReason.forEach((reason, n) -> cb.call(n, app, reason.name()))))
                .register(registry);
        GaugeWithCallback.builder().name("flinkfleet_jobs_signal_quality")
                .help("Jobs by application and the worst quality of the signals their policy needs")
                .labelNames("application", "quality")
                .callback(cb -> snapshot.applications().forEach((app, a) -> {
                    for (Quality q : Quality.values()) {
                        cb.call(a.byQuality[q.ordinal()], app, q.name().toLowerCase(Locale.ROOT));
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("flinkfleet_jobs_attention")
                .help("Jobs that need attention, by application and cause (a job may count under several causes)")
                .labelNames("application", "cause")
                .callback(cb -> snapshot.applications().forEach((app, a) -> {
                    for (JobAttention c : JobAttention.values()) {
                        if (c != JobAttention.NONE) {
                            cb.call(a.byAttention.getOrDefault(c, 0), app, c.label());
                        }
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("flinkfleet_jobs_exported")
                .help("Jobs with series of their own on /metrics (flinkfleet.daemon.metrics): fewer than flinkfleet_jobs_attention when capped")
                .callback(cb -> cb.call(snapshot.jobs().size())).register(registry);
        GaugeWithCallback.builder().name("flinkfleet_workers_current")
                .help("Workers of all the application's jobs at the last cycle").labelNames("application")
                .callback(cb -> snapshot.applications().forEach((app, a) -> cb.call(a.workersCurrent, app))).register(registry);
        GaugeWithCallback.builder().name("flinkfleet_workers_desired")
                .help("Workers the autoscaler decided on for all the application's jobs in the last cycle").labelNames("application")
                .callback(cb -> snapshot.applications().forEach((app, a) -> cb.call(a.workersDesired, app))).register(registry);
        decisions = Counter.builder().name("flinkfleet_decisions_total")
                .help("Decisions by application and reason code")
                .labelNames("application", "reason").register(registry);
        rescales = Counter.builder().name("flinkfleet_rescales_total")
                .help("Rescales applied, by application and direction (up, down)")
                .labelNames("application", "direction").register(registry);
        slaRatio = Histogram.builder().name("flinkfleet_job_sla_ratio")
                .help("Each job's watermark latency divided by its application's SLA, observed once per job and cycle; above 1 is over the SLA")
                .labelNames("application")
                .classicOnly().classicUpperBounds(0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 5, 10).register(registry);
        jobErrors = Counter.builder().name("flinkfleet_job_errors_total")
                .help("Jobs held because deciding or actuating them failed")
                .labelNames("application").register(registry);

        // ---- the daemon itself
        lastCycle = Gauge.builder().name("flinkfleet_last_cycle_timestamp_seconds")
                .help("When the last control cycle that read signals finished (unix seconds)").register(registry);
        signalAge = Gauge.builder().name("flinkfleet_signal_age_seconds")
                .help("Age of the oldest sample a signal backend returned at its last successful read, plus the time since; grows while the backend is down")
                .labelNames("backend").register(registry);
        backendErrors = Counter.builder().name("flinkfleet_backend_errors_total")
                .help("Failed calls to a signal backend").labelNames("backend").register(registry);
        backendUp = Gauge.builder().name("flinkfleet_backend_up")
                .help("1 when the signal backend answered its last read, 0 when it is down or not read yet").labelNames("backend").register(registry);
        backendSuccessAge = Gauge.builder().name("flinkfleet_backend_last_success_age_seconds")
                .help("Seconds since the signal backend last answered a read (since start if it never did)").labelNames("backend").register(registry);
        GaugeWithCallback.builder().name("flinkfleet_backend_circuit_breaker_state")
                .help("1 for the state the backend's circuit breaker is in (closed: calls pass; open: calls fail fast; half_open: one probe passes)")
                .labelNames("backend", "state")
                .callback(cb -> breakers.forEach((backend, state) -> {
                    CircuitBreaker.State now = state.get();
                    for (CircuitBreaker.State s : List.of(CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN)) {
                        cb.call(now == s ? 1 : 0, backend, s.name().toLowerCase(Locale.ROOT));
                    }
                })).register(registry);
        cycleDuration = Histogram.builder().name("flinkfleet_cycle_duration_seconds")
                .help("Wall time of one control cycle over the whole fleet")
                .classicOnly().classicUpperBounds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60).register(registry);
        cycleFailures = Counter.builder().name("flinkfleet_cycle_failures_total")
                .help("Cycles in which the signal source failed as a whole").register(registry);
        cycleErrors = Counter.builder().name("flinkfleet_cycle_errors_total")
                .help("Control cycles that threw; each is logged and the schedule continues").register(registry);
        patches = Counter.builder().name("flinkfleet_patches_total")
                .help("FlinkDeployment patches by outcome").labelNames("outcome").register(registry);
        conflicts = Counter.builder().name("flinkfleet_patch_conflicts_total")
                .help("Patches refused with 409 Conflict (another writer changed the object)").register(registry);
    }

    /** The name of the per-job gauge of {@code kind}, e.g. {@code flinkfleet_job_backlog_records}. */
    public static String seriesName(SignalKind kind) {
        return SIGNAL_SERIES.get(kind)[0];
    }

    private void jobGauge(PrometheusRegistry registry, String name, String help, ToDoubleFunction<MetricsSnapshot.JobRow> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames(JOB_LABELS)
                .callback(cb -> {
                    for (MetricsSnapshot.JobRow r : snapshot.jobs()) {
                        double v = value.applyAsDouble(r);
                        if (!Double.isNaN(v)) {
                            cb.call(v, r.job().namespace(), r.job().name(), r.application());
                        }
                    }
                }).register(registry);
    }

    @Override
    public void onJob(JobOutcome o) {
        String app = o.plan().application();
        Decision d = o.decision();
        if (d != null) {
            decisions.labelValues(app, MetricsSnapshot.effectiveReason(o).name()).inc();
        }
        if (o.failed()) {
            jobErrors.labelValues(app).inc();
        }
        if (o.result() != null) {
            patches.labelValues(o.result().outcome().name().toLowerCase(Locale.ROOT)).inc();
        }
        if (o.applied() && d != null && d.changes()) {
            rescales.labelValues(app, d.scalesUp() ? "up" : "down").inc();
        }
    }

    @Override
    public void onSourceFailure(Instant now, Exception error) {
        cycleFailures.inc();
    }

    @Override
    public void onCycle(Instant now, List<JobOutcome> outcomes) {
        if (outcomes.isEmpty() || outcomes.stream().anyMatch(o -> o.signals() != null)) {
            lastCycle.set(now.toEpochMilli() / 1000.0);
        }
        synchronized (this) {
            Map<JobRef, Instant> failingNow = new HashMap<>();
            for (JobOutcome o : outcomes) {
                JobRef job = o.plan().job();
                if (o.applied() && o.decision() != null && o.decision().changes()) {
                    lastRescale.put(job, now);
                }
                if (o.failed() || o.decision() == null) {
                    failingNow.put(job, failingSince.getOrDefault(job, now));
                }
                double sla = slaOf(o.plan().application());
                if (sla > 0 && o.signals() != null) {
                    var lag = o.signals().get(SignalKind.WATERMARK_LAG);
                    if (lag != null && !lag.isMissing()) {
                        slaRatio.labelValues(o.plan().application()).observe(lag.value() / sla);
                    }
                }
            }
            failingSince.clear();
            failingSince.putAll(failingNow);
            Duration window = settings.recentlyRescaled();
            lastRescale.values().removeIf(at -> Duration.between(at, now).compareTo(window) > 0);
            snapshot = MetricsSnapshot.of(outcomes, limits, lastRescale, failingSince, settings, now);
        }
    }

    private double slaOf(String application) {
        MetricsSnapshot.Limits l = limits.get(application);
        return l == null ? 0 : l.slaSeconds();
    }

    /** The job's limits from its application, for alerts (at max workers; latency above SLA). */
    public void jobLimits(JobRef job, String application, int maxWorkersAllowed, double slaLatencySeconds) {
        // Both come from the application, so one entry per application serves all its jobs.
        limits.put(application, new MetricsSnapshot.Limits(maxWorkersAllowed, slaLatencySeconds));
    }

    /** Exports the state of {@code backend}'s circuit breaker, read at each scrape. */
    public void circuitBreaker(String backend, Supplier<CircuitBreaker.State> state) {
        breakers.put(backend, state);
    }

    public void observeCycleSeconds(double seconds) {
        cycleDuration.observe(seconds);
    }

    public void signalAge(String backend, double seconds) {
        signalAge.labelValues(backend).set(seconds);
    }

    public void backendUp(String backend, boolean up) {
        backendUp.labelValues(backend).set(up ? 1 : 0);
    }

    public void backendLastSuccessAge(String backend, double seconds) {
        backendSuccessAge.labelValues(backend).set(seconds);
    }

    public void backendError(String backend) {
        backendErrors.labelValues(backend).inc();
    }

    public void conflict() {
        conflicts.inc();
    }

    public void cycleError() {
        cycleErrors.inc();
    }

    /** Drops the last cycle's jobs and fleet aggregates (this replica no longer decides any job). */
    public synchronized void forgetJobs() {
        snapshot = MetricsSnapshot.EMPTY;
        lastRescale.clear();
        failingSince.clear();
    }
}

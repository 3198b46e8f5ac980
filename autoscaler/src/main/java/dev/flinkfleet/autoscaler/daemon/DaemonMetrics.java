package dev.flinkfleet.autoscaler.daemon;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.SignalKind;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The daemon's own metrics, fed from the control loop. Per-job series are removed when a job leaves the fleet,
 * so a deleted FlinkDeployment does not linger on dashboards. Decision counters are per application and reason
 * (not per job) to keep cardinality bounded at tens of thousands of jobs.
 */
public final class DaemonMetrics implements CycleListener {

    private final Gauge desiredWorkers;
    private final Gauge currentWorkers;
    private final Gauge jobSignal;
    private final Gauge signalQuality;
    private final Gauge lastDecision;
    private final Gauge maxWorkers;
    private final Gauge slaSeconds;
    private final Gauge lastCycle;
    private final Counter decisions;
    private final Counter jobErrors;
    private final Gauge signalAge;
    private final Counter backendErrors;
    private final Gauge backendUp;
    private final Gauge backendSuccessAge;
    private final Histogram cycleDuration;
    private final Counter cycleFailures;
    private final Counter patches;
    private final Counter conflicts;
    private final Object lock = new Object();
    private Set<List<String>> lastJobs = new HashSet<>();

    public DaemonMetrics(PrometheusRegistry registry) {
        desiredWorkers = Gauge.builder().name("flinkfleet_job_workers_desired")
                .help("Workers the autoscaler decided on for the job in the last cycle")
                .labelNames("namespace", "job", "application").register(registry);
        currentWorkers = Gauge.builder().name("flinkfleet_job_workers_current")
                .help("Workers the job had at the last cycle")
                .labelNames("namespace", "job", "application").register(registry);
        jobSignal = Gauge.builder().name("flinkfleet_job_signal")
                .help("Last signal value the policy saw for the job (NaN when missing)")
                .labelNames("namespace", "job", "application", "signal").register(registry);
        signalQuality = Gauge.builder().name("flinkfleet_job_signal_quality")
                .help("Worst quality of the signals the job's policy needs: 0 fresh, 1 stale, 2 missing")
                .labelNames("namespace", "job", "application").register(registry);
        lastDecision = Gauge.builder().name("flinkfleet_job_last_decision_timestamp_seconds")
                .help("When the autoscaler last made a decision for the job (unix seconds)")
                .labelNames("namespace", "job", "application").register(registry);
        maxWorkers = Gauge.builder().name("flinkfleet_job_workers_max")
                .help("Most workers the job's application allows")
                .labelNames("namespace", "job", "application").register(registry);
        slaSeconds = Gauge.builder().name("flinkfleet_job_sla_seconds")
                .help("Latency SLA of the job's application, seconds")
                .labelNames("namespace", "job", "application").register(registry);
        lastCycle = Gauge.builder().name("flinkfleet_last_cycle_timestamp_seconds")
                .help("When the last control cycle that read signals finished (unix seconds)").register(registry);
        decisions = Counter.builder().name("flinkfleet_decisions_total")
                .help("Decisions by application and reason code")
                .labelNames("application", "reason").register(registry);
        jobErrors = Counter.builder().name("flinkfleet_job_errors_total")
                .help("Jobs held because deciding or actuating them failed")
                .labelNames("application").register(registry);
        signalAge = Gauge.builder().name("flinkfleet_signal_age_seconds")
                .help("Age of the oldest sample a signal backend returned at its last successful read, plus the time since; grows while the backend is down")
                .labelNames("backend").register(registry);
        backendErrors = Counter.builder().name("flinkfleet_backend_errors_total")
                .help("Failed calls to a signal backend").labelNames("backend").register(registry);
        backendUp = Gauge.builder().name("flinkfleet_backend_up")
                .help("1 when the signal backend answered its last read, 0 when it is down or not read yet").labelNames("backend").register(registry);
        backendSuccessAge = Gauge.builder().name("flinkfleet_backend_last_success_age_seconds")
                .help("Seconds since the signal backend last answered a read (since start if it never did)").labelNames("backend").register(registry);
        cycleDuration = Histogram.builder().name("flinkfleet_cycle_duration_seconds")
                .help("Wall time of one control cycle over the whole fleet")
                .classicOnly().classicUpperBounds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60).register(registry);
        cycleFailures = Counter.builder().name("flinkfleet_cycle_failures_total")
                .help("Cycles in which the signal source failed as a whole").register(registry);
        patches = Counter.builder().name("flinkfleet_patches_total")
                .help("FlinkDeployment patches by outcome").labelNames("outcome").register(registry);
        conflicts = Counter.builder().name("flinkfleet_patch_conflicts_total")
                .help("Patches refused with 409 Conflict (another writer changed the object)").register(registry);
    }

    @Override
    public void onJob(JobOutcome o) {
        String ns = o.plan().job().namespace();
        String name = o.plan().job().name();
        String app = o.plan().application();
        if (o.signals() != null) {
            currentWorkers.labelValues(ns, name, app).set(o.signals().currentWorkers());
            for (SignalKind k : SignalKind.values()) {
                Measurement m = o.signals().get(k);
                jobSignal.labelValues(ns, name, app, k.key()).set(m.isMissing() ? Double.NaN : m.value());
            }
        }
        Decision d = o.decision();
        if (d != null) {
            desiredWorkers.labelValues(ns, name, app).set(d.targetWorkers());
            signalQuality.labelValues(ns, name, app).set(d.signalQuality().ordinal());
            lastDecision.labelValues(ns, name, app).set(d.at().toEpochMilli() / 1000.0);
            ReasonCode reason = o.result() != null && o.result().reason() != null && !o.result().applied()
                    ? o.result().reason() : d.reason();
            decisions.labelValues(app, reason.name()).inc();
        }
        if (o.failed()) {
            jobErrors.labelValues(app).inc();
        }
        if (o.result() != null) {
            patches.labelValues(o.result().outcome().name().toLowerCase(java.util.Locale.ROOT)).inc();
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
        Set<List<String>> seen = new HashSet<>();
        for (JobOutcome o : outcomes) {
            JobRef j = o.plan().job();
            seen.add(List.of(j.namespace(), j.name(), o.plan().application()));
        }
        synchronized (lock) {
            for (List<String> gone : lastJobs) {
                if (!seen.contains(gone)) {
                    removeJob(gone);
                }
            }
            lastJobs = seen;
        }
    }

    private void removeJob(List<String> labels) {
        desiredWorkers.remove(labels.get(0), labels.get(1), labels.get(2));
        signalQuality.remove(labels.get(0), labels.get(1), labels.get(2));
        lastDecision.remove(labels.get(0), labels.get(1), labels.get(2));
        maxWorkers.remove(labels.get(0), labels.get(1), labels.get(2));
        slaSeconds.remove(labels.get(0), labels.get(1), labels.get(2));
        currentWorkers.remove(labels.get(0), labels.get(1), labels.get(2));
        for (SignalKind k : SignalKind.values()) {
            jobSignal.remove(labels.get(0), labels.get(1), labels.get(2), k.key());
        }
    }

    /** The job's limits from its application, for alerts (at max workers; latency above SLA). */
    public void jobLimits(JobRef job, String application, int maxWorkersAllowed, double slaLatencySeconds) {
        maxWorkers.labelValues(job.namespace(), job.name(), application).set(maxWorkersAllowed);
        slaSeconds.labelValues(job.namespace(), job.name(), application).set(slaLatencySeconds);
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
}

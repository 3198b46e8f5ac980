package dev.flinkfleet.autoscaler.daemon;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.flinkfleet.autoscaler.flinkrest.RestJob;
import dev.flinkfleet.autoscaler.kubernetes.EventRecorder;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentView;
import dev.flinkfleet.policies.JobPlan;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;

/**
 * Binds every watched FlinkDeployment to its application each cycle and hands the loop one plan per governed
 * job, carrying its wiring and actuation mode. A binding is cached by the object's resourceVersion and the
 * binder it came from (the {@link PolicyReloader} makes one per policy-file fingerprint): a job is bound again
 * only when its FlinkDeployment or the policy files changed, not every cycle. Tells (once per change, in the log and as an event) jobs that
 * cannot be governed, and annotation problems. Each plan's governor holds the job while a backend it reads
 * from is down. Called from the cycle's thread; {@link #workers} from the state store's.
 */
final class FleetBinding {

    private static final Logger LOG = LoggerFactory.getLogger(FleetBinding.class);

    private final Supplier<JobBinder> binder;
    private final Supplier<Map<JobRef, FlinkDeploymentView>> views;
    private final Supplier<? extends Collection<RestJob>> restJobs;
    private final EventRecorder events;
    private final DaemonMetrics metrics;
    private final Function<JobRef, String> unavailable;
    private final Map<JobRef, String> reported = new ConcurrentHashMap<>();
    /** Flink REST jobs named like a FlinkDeployment, already told. */
    private final Set<JobRef> shadowed = ConcurrentHashMap.newKeySet();
    private volatile Map<JobRef, JobBinder.Bound> bound = Map.of();
    /** Last binding of each FlinkDeployment, reused while its resourceVersion and the binder are unchanged (cycle thread only). */
    private final Map<JobRef, Cached> cache = new java.util.HashMap<>();
    private long rebound;

    /** A binding and what it was made from. */
    private record Cached(String resourceVersion, JobBinder binder, JobBinder.Binding binding) {
        boolean isFor(FlinkDeploymentView v, JobBinder b) {
            return binder == b && resourceVersion != null && resourceVersion.equals(v.resourceVersion());
        }
    }

    /**
     * @param binder      the binder of the current policy files
     * @param views       the watched FlinkDeployments
     * @param unavailable why a job's backend is down this cycle, or null (looked up when the loop decides)
     */
    FleetBinding(Supplier<JobBinder> binder, Supplier<Map<JobRef, FlinkDeploymentView>> views, EventRecorder events, DaemonMetrics metrics,
                 Function<JobRef, String> unavailable) {
        this(binder, views, List::of, events, metrics, unavailable);
    }

    /**
     * @param restJobs the jobs found on the Flink REST endpoints this cycle (flinkfleet.flink-rest); read once per
     *                 {@link #bindAll}
     */
    FleetBinding(Supplier<JobBinder> binder, Supplier<Map<JobRef, FlinkDeploymentView>> views, Supplier<? extends Collection<RestJob>> restJobs,
                 EventRecorder events, DaemonMetrics metrics, Function<JobRef, String> unavailable) {
        this.binder = Objects.requireNonNull(binder, "binder");
        this.views = Objects.requireNonNull(views, "views");
        this.restJobs = Objects.requireNonNull(restJobs, "restJobs");
        this.events = Objects.requireNonNull(events, "events");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.unavailable = Objects.requireNonNull(unavailable, "unavailable");
    }

    /** Binds every watched job; reports (once per change) jobs that cannot be governed. */
    List<JobPlan> bindAll() {
        JobBinder b = binder.get();
        Map<JobRef, JobBinder.Bound> next = new LinkedHashMap<>();
        Set<JobRef> seen = new HashSet<>();
        Set<JobRef> shadowedNow = new HashSet<>();
        for (FlinkDeploymentView v : views.get().values()) {
            seen.add(v.job());
            Cached c = cache.get(v.job());
            if (c == null || !c.isFor(v, b)) {
                // New or changed object, or new policy files: bind it and tell its annotation problems again.
                events.annotationProblems(v.job(), v.annotationProblems());
                c = new Cached(v.resourceVersion(), b, b.bind(v));
                cache.put(v.job(), c);
                rebound++;
            }
            record(v.job(), c.binding(), true, next);
        }
        cache.keySet().retainAll(seen);
        for (RestJob r : restJobs.get()) {
            if (!seen.add(r.ref())) {
                shadowedNow.add(r.ref());
                if (shadowed.add(r.ref())) {
                    LOG.warn("{}: job {} on Flink REST endpoint '{}' has the name of a FlinkDeployment in the namespace of that name; only the "
                            + "FlinkDeployment is governed", r.ref(), r.jobId(), r.ref().namespace());
                }
                continue;
            }
            // No FlinkDeployment to put an event on: the log says it.
            record(r.ref(), b.bindRest(r), false, next);
        }
        reported.keySet().retainAll(seen);
        shadowed.retainAll(shadowedNow);
        bound = Map.copyOf(next);
        // Jobs whose backend is down this cycle hold with the backend named (looked up when the loop decides).
        return next.values().stream().map(JobBinder.Bound::plan)
                .map(p -> p.withGovernor(new BackendHoldGovernor(p.governor(), unavailable)))
                .toList();
    }

    private void record(JobRef job, JobBinder.Binding binding, boolean withEvents, Map<JobRef, JobBinder.Bound> next) {
        String report;
        if (binding instanceof JobBinder.Bound bd) {
            next.put(bd.job(), bd);
            metrics.jobLimits(bd.job(), bd.application().name(), bd.application().governorConfig().maxWorkers(),
                    bd.application().slaLatency().toMillis() / 1000.0);
            report = bd.notes().isEmpty() ? "" : "governed by " + bd.application().name() + "; " + String.join("; ", bd.notes());
        } else {
            JobBinder.Unbound u = (JobBinder.Unbound) binding;
            report = u.problem() + ": " + u.reason();
            if (u.isError() && withEvents) {
                // Told on the object itself too; EventRecorder emits only when the reason changes.
                events.hold(u.job(), ReasonCode.HOLD_ERROR, "not autoscaled: " + u.reason());
            }
        }
        tell(job, report, binding instanceof JobBinder.Unbound u && u.isError());
    }

    /** Logs {@code report} for {@code job} once per change. */
    private void tell(JobRef job, String report, boolean error) {
        if (!report.equals(reported.put(job, report)) && !report.isEmpty()) {
            if (error) {
                LOG.warn("{}: held, {}", job, report);
            } else {
                LOG.info("{}: {}", job, report);
            }
        }
    }

    /** TaskManager replicas of a job bound in the last cycle, or null. */
    Integer workers(JobRef job) {
        JobBinder.Bound b = bound.get(job);
        return b == null ? null : b.wiring().workers();
    }

    /** A deleted job: nothing more to tell about it (its cached binding goes at the next cycle, which no longer sees it). */
    void forget(JobRef job) {
        reported.remove(job);
    }

    /** Leadership lost: the next leader binds the fleet. */
    void clear() {
        bound = Map.of();
        cache.clear();
    }

    /** FlinkDeployments bound afresh (not taken from the cache) since this object was made. */
    long rebound() {
        return rebound;
    }

    /** The jobs bound in the last cycle. */
    Map<JobRef, JobBinder.Bound> bound() {
        return bound;
    }
}

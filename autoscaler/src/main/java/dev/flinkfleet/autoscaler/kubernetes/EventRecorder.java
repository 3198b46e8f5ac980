package dev.flinkfleet.autoscaler.kubernetes;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.flinkfleet.autoscaler.config.Secrets;
import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Signals;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Tells users on the FlinkDeployment itself ({@code kubectl describe}, {@code kubectl get events}) what the
 * autoscaler did: a core/v1 Event for every rescale, and one for every change of the reason a job is held.
 * The same hold reason twice in a row emits nothing, so a steady fleet is quiet; a job first seen in range
 * emits nothing either (a daemon restart must not flood 30,000 events). Never throws: events are best effort.
 */
public final class EventRecorder implements CycleListener {

    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    /** The API server rejects longer messages. */
    static final int MAX_MESSAGE = 1024;
    private static final String AFTER_SCALE = "";
    private static final Set<ReasonCode> WARNINGS = Set.of(ReasonCode.HOLD_UNSAFE_STATE, ReasonCode.HOLD_ERROR,
            ReasonCode.HOLD_STALE_SIGNALS, ReasonCode.HOLD_INSUFFICIENT_SIGNALS);

    private final KubernetesClient client;
    private final Clock clock;
    private final String instance;
    private final Function<JobRef, FlinkDeploymentView> lookup;
    private final java.util.concurrent.Executor sender;
    /** Last hold reason emitted per job; absent = in range (nothing to say); AFTER_SCALE after a rescale. */
    private final ConcurrentHashMap<JobRef, String> lastHold = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Last annotation problems reported per job (annotation → problem), so each is told once per change. */
    private final ConcurrentHashMap<JobRef, Map<String, String>> lastAnnotationProblems = new ConcurrentHashMap<>();

    /** Reason of the warning event about a hand-written annotation the daemon cannot use. */
    public static final String REASON_BAD_ANNOTATION = "InvalidAnnotation";
    /** Event reasons, by what happened to the job. */
    public static final String REASON_SCALED_UP = "ScaledUp";
    public static final String REASON_SCALED_DOWN = "ScaledDown";
    public static final String REASON_DRY_RUN = "ScalingDryRun";
    public static final String REASON_HELD = "ScalingHeld";
    public static final String REASON_FAILED = "ScalingFailed";
    public static final String REASON_SIGNALS = "SignalsUnavailable";
    public static final String REASON_IN_RANGE = "InRange";

    /**
     * @param instance reporting instance (e.g. the pod name)
     * @param lookup   finds the object's uid for the event reference (e.g. the watcher); may return null
     */
    public EventRecorder(KubernetesClient client, Clock clock, String instance, Function<JobRef, FlinkDeploymentView> lookup) {
        this(client, clock, instance, lookup, Runnable::run);
    }

    /**
     * @param sender runs each event's POST; the daemon's sends them from a thread of their own, off the control
     *               loop (a fleet-wide change of hold reason is one event per job, and each is a round trip)
     */
    public EventRecorder(KubernetesClient client, Clock clock, String instance, Function<JobRef, FlinkDeploymentView> lookup,
                         java.util.concurrent.Executor sender) {
        this.sender = Objects.requireNonNull(sender, "sender");
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.instance = Objects.requireNonNull(instance, "instance");
        this.lookup = lookup == null ? j -> null : lookup;
    }

    @Override
    public void onJob(JobOutcome o) {
        try {
            JobRef job = o.plan().job();
            Decision d = o.decision();
            if (d == null) {
                hold(job, ReasonCode.HOLD_ERROR, "held: " + (o.error() == null ? "no decision" : Secrets.maskSecrets(o.error().getMessage())));
                return;
            }
            Actuator.Result r = o.result();
            if (r == null) {
                hold(job, d.reason(), "held at " + d.currentWorkers() + " workers: " + d.summary() + signals(o.signals()));
            } else if (r.applied()) {
                scaled(d, r, o.signals());
            } else if (r.outcome() == Actuator.Outcome.DRY_RUN) {
                hold(job, d.reason(), REASON_DRY_RUN, "dry run, would scale " + d.currentWorkers() + "->" + d.targetWorkers() + ": " + d.summary() + signals(o.signals()));
            } else {
                ReasonCode why = r.reason() == null ? ReasonCode.HOLD_ERROR : r.reason();
                hold(job, why, "not scaled " + d.currentWorkers() + "->" + d.targetWorkers() + ": " + r.detail() + signals(o.signals()));
            }
        } catch (RuntimeException e) {
            LOG.warn("event for {} failed: {}", o.plan().job(), e.toString());
        }
    }

    /** Records a rescale (always emitted). */
    public void scaled(Decision d, Actuator.Result r, Signals s) {
        lastHold.put(d.job(), AFTER_SCALE);
        String msg = "scaled " + d.currentWorkers() + "->" + d.targetWorkers() + " workers: " + d.summary() + signals(s)
                + (r.detail() == null ? "" : "; " + r.detail());
        emit(d.job(), d.scalesDown() ? REASON_SCALED_DOWN : REASON_SCALED_UP, "Normal", d.reason().name() + ": " + msg);
    }

    /** Records that {@code job} is held for {@code reason}; emitted only when the reason differs from the last one. */
    public void hold(JobRef job, ReasonCode reason, String message) {
        hold(job, reason, reason(reason), message);
    }

    private void hold(JobRef job, ReasonCode reason, String eventReason, String message) {
        String prev = lastHold.put(job, reason.name());
        String effectivePrev = prev == null ? ReasonCode.HOLD_IN_RANGE.name() : prev;
        if (effectivePrev.equals(reason.name())) {
            return;
        }
        emit(job, eventReason, WARNINGS.contains(reason) ? "Warning" : "Normal", reason.name() + ": " + message);
    }

    /** The event reason of a job held (not rescaled) with {@code code}. */
    static String reason(ReasonCode code) {
        return switch (code) {
            case HOLD_ERROR -> REASON_FAILED;
            case HOLD_STALE_SIGNALS, HOLD_INSUFFICIENT_SIGNALS, HOLD_BACKEND_UNAVAILABLE -> REASON_SIGNALS;
            case HOLD_IN_RANGE -> REASON_IN_RANGE;
            default -> REASON_HELD;
        };
    }

    /**
     * Reports the current problems in {@code job}'s hand-written annotations (annotation → problem): a warning
     * event for each problem not reported last time, nothing for one already told. Call every cycle; a steady
     * bad value is told once, a changed one again. Never throws.
     */
    public void annotationProblems(JobRef job, Map<String, String> problems) {
        try {
            Map<String, String> now = Map.copyOf(problems);
            Map<String, String> before = now.isEmpty() ? lastAnnotationProblems.remove(job) : lastAnnotationProblems.put(job, now);
            for (Map.Entry<String, String> p : now.entrySet()) {
                if (before == null || !p.getValue().equals(before.get(p.getKey()))) {
                    LOG.warn("{}: annotation {}: {}", job, p.getKey(), p.getValue());
                    emit(job, REASON_BAD_ANNOTATION, "Warning", "annotation " + p.getKey() + ": " + p.getValue());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("annotation event for {} failed: {}", job, e.toString());
        }
    }

    /** Reports one problem in one annotation (e.g. an unreadable governor state), once per distinct problem. */
    public void annotationProblem(JobRef job, String annotation, String problem) {
        Map<String, String> merged = new java.util.LinkedHashMap<>(lastAnnotationProblems.getOrDefault(job, Map.of()));
        merged.put(annotation, problem);
        annotationProblems(job, merged);
    }

    /** Forgets a deleted job. */
    public void forget(JobRef job) {
        lastHold.remove(job);
        lastAnnotationProblems.remove(job);
    }

    private void emit(JobRef job, String reason, String type, String message) {
        Instant now = clock.instant();
        FlinkDeploymentView v = lookup.apply(job);
        String base = job.name().length() > 200 ? job.name().substring(0, 200) : job.name();
        String name = base + "." + Long.toHexString(now.toEpochMilli()) + Long.toHexString(seq.incrementAndGet());
        String ts = now.toString();
        Event e = new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(job.namespace()).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(FlinkDeployments.API_VERSION).withKind(FlinkDeployments.KIND)
                        .withNamespace(job.namespace()).withName(job.name())
                        .withUid(v == null ? null : v.uid()).withResourceVersion(v == null ? null : v.resourceVersion())
                        .build())
                .withReason(reason)
                .withMessage(message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message)
                .withType(type)
                .withFirstTimestamp(ts).withLastTimestamp(ts).withCount(1)
                .withNewSource().withComponent("flinkfleet-autoscaler").endSource()
                .withReportingComponent("flinkfleet.dev/autoscaler").withReportingInstance(instance)
                .build();
        try {
            sender.execute(() -> {
                try {
                    client.v1().events().inNamespace(job.namespace()).resource(e).create();
                } catch (RuntimeException ex) {
                    LOG.warn("{}: could not create event {} ({}): {}", job, reason, message, ex.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException full) {
            // Logged at the 1st, 10th, 100th, ... drop: a fleet-wide burst must not become a log flood.
            long n = dropped.incrementAndGet();
            if (Long.toString(n).matches("10*")) {
                LOG.warn("{} events dropped so far, too many waiting to be sent; latest: {} {} on {}", n, type, reason, job);
            }
        }
    }

    private static String signals(Signals s) {
        if (s == null) {
            return "";
        }
        return "; signals: backlog " + s.backlog() + ", backlog-time " + s.backlogTime() + ", throughput " + s.throughput()
                + ", cpu " + s.cpu();
    }
}

package dev.flinkfleet.autoscaler.kubernetes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.DateTimeException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;

import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.StateStore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Keeps each job's {@link GovernorState} in the annotation {@code flinkfleet.dev/governor-state} on its
 * FlinkDeployment (JSON of {@link GovernorState#toMap()}), so a restarted or newly elected daemon keeps the
 * cooldowns.
 *
 * <p>Writes are throttled. The state changes every cycle (the recommendation history grows), but at 30,000
 * jobs and a 30 s cycle a patch per job per cycle would be 1,000 writes/s on the API server, each one also
 * waking every watcher of FlinkDeployments. So: the last-scale times, which guard cooldowns, are written as
 * soon as they change; history-only changes are written at most once per {@code historyInterval} per job. A
 * restart can therefore lose up to one interval of history (the scale-down stabilisation window starts
 * shorter), never a cooldown. Annotation patches do not bump {@code metadata.generation}, so they do not make
 * the operator reconcile or make {@link SafetyCheck} see an unobserved generation.
 *
 * <p>After the first load of a job the in-memory copy is authoritative: only the leader writes it.
 *
 * <p>The annotation can be edited by anyone with write access to the object. An unreadable value (not JSON,
 * truncated, wrong types, a time outside [1970, now + 1 h], a number out of range) is replaced by the
 * conservative reading {@link #unreadable}: "rescaled just now, and the recommendation was to stay at the
 * current size". Cooldowns in both directions and the whole scale-down stabilisation window then run from now,
 * which holds at least as long as any real history could have held (every real rescale and recommendation lies
 * in the past), so garbage can delay a rescale by one cooldown but never enable a scale-down. Holding the job
 * until someone fixes the annotation would also be safe, but would leave a lagging job unscaled indefinitely
 * over a typo. The problem is reported once through {@code onUnreadable} (the daemon: a warning event on the
 * object), and the next save overwrites the bad value.
 */
public final class AnnotationStateStore implements StateStore {

    private static final Logger LOG = LoggerFactory.getLogger(AnnotationStateStore.class);
    public static final Duration DEFAULT_HISTORY_INTERVAL = Duration.ofMinutes(5);

    private final DeploymentAccess api;
    private final Function<JobRef, FlinkDeploymentView> lookup;
    private final Clock clock;
    private final Duration historyInterval;
    private final ConcurrentHashMap<JobRef, Entry> cache = new ConcurrentHashMap<>();
    private final Function<JobRef, Integer> currentWorkers;
    private final BiConsumer<JobRef, String> onUnreadable;
    /** A stored time later than now by more than this is garbage, not clock skew. */
    static final Duration MAX_FUTURE = Duration.ofHours(1);

    /** What we hold for a job: the current state, and what (and when) we last wrote or read from the server. */
    private record Entry(GovernorState state, GovernorState persisted, Instant persistedAt) {
    }

    /** Reads annotations with a GET per job on first load. */
    public AnnotationStateStore(KubernetesClient client, Clock clock, Duration historyInterval) {
        this(DeploymentAccess.of(client), null, clock, historyInterval);
    }

    /**
     * Reads annotations from {@code lookup} (e.g. {@link FlinkDeploymentWatcher#view}) on first load, falling
     * back to a GET when it returns null; no list or GET per job at startup when a watcher is running.
     */
    public AnnotationStateStore(KubernetesClient client, Function<JobRef, FlinkDeploymentView> lookup, Clock clock, Duration historyInterval) {
        this(DeploymentAccess.of(client), lookup, clock, historyInterval);
    }

    /**
     * As above, and for an unreadable annotation: {@code currentWorkers} gives the job's size now (null if
     * unknown) for the conservative reading, {@code onUnreadable} is told the job and the problem.
     */
    public AnnotationStateStore(KubernetesClient client, Function<JobRef, FlinkDeploymentView> lookup, Clock clock, Duration historyInterval,
                                Function<JobRef, Integer> currentWorkers, BiConsumer<JobRef, String> onUnreadable) {
        this(DeploymentAccess.of(client), lookup, clock, historyInterval, currentWorkers, onUnreadable);
    }

    AnnotationStateStore(DeploymentAccess api, Function<JobRef, FlinkDeploymentView> lookup, Clock clock, Duration historyInterval) {
        this(api, lookup, clock, historyInterval, job -> null, (job, problem) -> { });
    }

    AnnotationStateStore(DeploymentAccess api, Function<JobRef, FlinkDeploymentView> lookup, Clock clock, Duration historyInterval,
                         Function<JobRef, Integer> currentWorkers, BiConsumer<JobRef, String> onUnreadable) {
        this.currentWorkers = Objects.requireNonNull(currentWorkers, "currentWorkers");
        this.onUnreadable = Objects.requireNonNull(onUnreadable, "onUnreadable");
        this.api = Objects.requireNonNull(api, "api");
        this.lookup = lookup;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.historyInterval = Objects.requireNonNull(historyInterval, "historyInterval");
        if (historyInterval.isNegative()) {
            throw new IllegalArgumentException("history interval must be >= 0, got " + historyInterval);
        }
    }

    /**
     * The state for {@code job}: cached, or read from its annotation; the conservative reading when the
     * annotation is unreadable (see the class comment).
     */
    @Override
    public GovernorState load(JobRef job) {
        Entry e = cache.get(job);
        if (e != null) {
            return e.state();
        }
        Instant now = clock.instant();
        String raw = readAnnotation(job);
        Entry loaded;
        try {
            GovernorState s = parse(job, raw);
            check(s, now);
            loaded = new Entry(s, s, now);
        } catch (IllegalArgumentException | DateTimeException | ArithmeticException bad) {
            String problem = String.valueOf(bad.getMessage()).replace(job + ": ", "");
            LOG.warn("{}: {}; reading it as 'rescaled just now' so cooldowns and stabilisation hold", job, problem);
            onUnreadable.accept(job, problem + "; ignored, read as rescaled just now (cooldowns apply)");
            // persisted = null: the next save writes the readable state over the garbage.
            // A second before the read: the cycle reading it took its own "now" a moment earlier, and a rescale
            // after that now would look like clock skew in the decision's explanation.
            loaded = new Entry(unreadable(now.minusSeconds(1), currentWorkers.apply(job)), null, Instant.MIN);
        }
        cache.putIfAbsent(job, loaded);
        return cache.get(job).state();
    }

    /**
     * The conservative reading of an unreadable state: rescaled both ways at {@code now} (cooldowns from now),
     * and, when the size is known, a recommendation at {@code now} to stay at it (no scale-down for a whole
     * stabilisation window).
     */
    static GovernorState unreadable(Instant now, Integer workers) {
        return new GovernorState(now, now, workers == null || workers < 1 ? List.of() : List.of(new GovernorState.Sample(now, workers)));
    }

    /** Rejects times no real history holds: before 1970 or more than {@link #MAX_FUTURE} after now. */
    static void check(GovernorState s, Instant now) {
        Instant latest = now.plus(MAX_FUTURE);
        checkTime("last-scale-up", s.lastScaleUpAt(), latest);
        checkTime("last-scale-down", s.lastScaleDownAt(), latest);
        for (GovernorState.Sample x : s.history()) {
            checkTime("recommendations", x.at(), latest);
        }
    }

    private static void checkTime(String key, Instant t, Instant latest) {
        if (t != null && (t.isBefore(Instant.EPOCH) || t.isAfter(latest))) {
            throw new IllegalArgumentException("annotation " + FlinkDeployments.ANNOTATION_GOVERNOR_STATE + " is malformed (governor state key '"
                    + key + "': time " + t + " is before 1970 or in the future)");
        }
    }

    @Override
    public void save(JobRef job, GovernorState state) {
        Objects.requireNonNull(state, "state");
        Instant now = clock.instant();
        Entry prev = cache.get(job);
        if (prev == null) {
            // Saved without a load (should not happen in the loop): treat the server copy as unknown, write now.
            prev = new Entry(state, null, Instant.MIN);
        }
        Entry next = new Entry(state, prev.persisted(), prev.persistedAt());
        cache.put(job, next);
        if (needsWrite(prev.persisted(), prev.persistedAt(), state, now)) {
            write(job, state, now);
        }
    }

    /** Writes every state that differs from what the server has (e.g. on shutdown or loss of leadership). */
    public void flush() {
        Instant now = clock.instant();
        for (Map.Entry<JobRef, Entry> e : cache.entrySet()) {
            if (!e.getValue().state().equals(e.getValue().persisted())) {
                write(e.getKey(), e.getValue().state(), now);
            }
        }
    }

    /** Drops a job's cached state (its FlinkDeployment was deleted). */
    public void forget(JobRef job) {
        cache.remove(job);
    }

    private boolean needsWrite(GovernorState persisted, Instant persistedAt, GovernorState state, Instant now) {
        if (persisted == null) {
            return true;
        }
        if (!Objects.equals(persisted.lastScaleUpAt(), state.lastScaleUpAt()) || !Objects.equals(persisted.lastScaleDownAt(), state.lastScaleDownAt())) {
            return true;
        }
        return !persisted.history().equals(state.history()) && !now.isBefore(persistedAt.plus(historyInterval));
    }

    private void write(JobRef job, GovernorState state, Instant now) {
        String json;
        try {
            json = JsonPatches.MAPPER.writeValueAsString(state.toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(job + ": cannot serialise governor state", e);
        }
        Map<String, String> ann = new LinkedHashMap<>();
        ann.put(FlinkDeployments.ANNOTATION_GOVERNOR_STATE, json);
        try {
            // No resourceVersion: we are the only writer of this annotation, and a merge patch of one
            // annotation cannot undo anyone else's change.
            api.mergePatch(job, JsonPatches.mergePatch(null, ann, null));
            cache.computeIfPresent(job, (k, e) -> e.state().equals(state) ? new Entry(state, state, now) : new Entry(e.state(), state, now));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                cache.remove(job);
                return;
            }
            // Kept in memory and retried on the next save (the persisted copy still differs), so a scale's
            // cooldown is never lost while this process lives.
            LOG.warn("{}: could not write governor state annotation (will retry): {}", job, e.toString());
        }
    }

    private String readAnnotation(JobRef job) {
        FlinkDeploymentView v = lookup == null ? null : lookup.apply(job);
        if (v != null) {
            return v.governorStateAnnotation();
        }
        GenericKubernetesResource r = api.get(job);
        if (r == null || r.getMetadata() == null || r.getMetadata().getAnnotations() == null) {
            return null;
        }
        return r.getMetadata().getAnnotations().get(FlinkDeployments.ANNOTATION_GOVERNOR_STATE);
    }

    static GovernorState parse(JobRef job, String json) {
        if (json == null || json.isBlank()) {
            return GovernorState.empty();
        }
        try {
            Map<String, String> m = JsonPatches.MAPPER.readValue(json, new TypeReference<Map<String, String>>() {
            });
            return GovernorState.fromMap(m == null ? Map.of() : m);
        } catch (JsonProcessingException | IllegalArgumentException | DateTimeException | ArithmeticException e) {
            String why = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException(job + ": annotation " + FlinkDeployments.ANNOTATION_GOVERNOR_STATE + " is malformed ("
                    + why + ")", e);
        }
    }
}

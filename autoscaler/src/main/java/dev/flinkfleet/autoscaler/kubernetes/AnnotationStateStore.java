package dev.flinkfleet.autoscaler.kubernetes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
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
 */
public final class AnnotationStateStore implements StateStore {

    private static final Logger LOG = LoggerFactory.getLogger(AnnotationStateStore.class);
    public static final Duration DEFAULT_HISTORY_INTERVAL = Duration.ofMinutes(5);

    private final DeploymentAccess api;
    private final Function<JobRef, FlinkDeploymentView> lookup;
    private final Clock clock;
    private final Duration historyInterval;
    private final ConcurrentHashMap<JobRef, Entry> cache = new ConcurrentHashMap<>();

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

    AnnotationStateStore(DeploymentAccess api, Function<JobRef, FlinkDeploymentView> lookup, Clock clock, Duration historyInterval) {
        this.api = Objects.requireNonNull(api, "api");
        this.lookup = lookup;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.historyInterval = Objects.requireNonNull(historyInterval, "historyInterval");
        if (historyInterval.isNegative()) {
            throw new IllegalArgumentException("history interval must be >= 0, got " + historyInterval);
        }
    }

    /**
     * The state for {@code job}: cached, or read from its annotation.
     *
     * @throws IllegalArgumentException naming the job when the annotation is malformed (the loop then holds the
     *                                  job rather than forget a cooldown)
     */
    @Override
    public GovernorState load(JobRef job) {
        Entry e = cache.get(job);
        if (e != null) {
            return e.state();
        }
        GovernorState s = parse(job, readAnnotation(job));
        cache.putIfAbsent(job, new Entry(s, s, clock.instant()));
        return cache.get(job).state();
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
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String why = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException(job + ": annotation " + FlinkDeployments.ANNOTATION_GOVERNOR_STATE + " is malformed ("
                    + why + "); fix or remove it to resume autoscaling", e);
        }
    }
}

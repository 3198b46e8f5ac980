package dev.flinkfleet.autoscaler.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.flinkfleet.autoscaler.config.Secrets;
import dev.flinkfleet.autoscaler.kafka.KafkaUnreachableException;

/**
 * Whether one signal backend (a Kafka cluster, Prometheus) answered in its last read: state, since when, the
 * last error with its root cause, the last success and the failures in a row. Logs once per state change (down
 * with the cause, recovered after how long), never every cycle, and keeps {@code flinkfleet_backend_up}, the
 * last-success age and the signal age current. Time comes from the injected clock. Thread-safe: Kafka clusters
 * are read in parallel and HTTP threads read the state.
 */
public final class BackendHealth {

    private static final Logger LOG = LoggerFactory.getLogger(BackendHealth.class);
    private static final int MAX_ERROR = 400;

    /** UNKNOWN until the first read. */
    public enum State { UNKNOWN, UP, DOWN }

    private final String backend;
    private final String description;
    private final String origin;
    private final Clock clock;
    private final DaemonMetrics metrics;
    private final Instant createdAt;
    private final Set<String> secrets;
    private State state = State.UNKNOWN;
    private Instant since;
    private Instant lastSuccess;
    private double dataAgeAtSuccess;
    private String lastError;
    private int consecutiveFailures;

    /**
     * @param backend     metric label, e.g. {@code kafka:prod-eu} or {@code prometheus}
     * @param description how users know it, e.g. {@code Kafka cluster 'prod-eu'}
     * @param origin      where it is configured ({@code file:line}), or null
     */
    public BackendHealth(String backend, String description, String origin, Clock clock, DaemonMetrics metrics) {
        this(backend, description, origin, Set.of(), clock, metrics);
    }

    /** @param secrets configured secret values (JAAS lines, passwords) that must never appear in an error text */
    public BackendHealth(String backend, String description, String origin, Collection<String> secrets, Clock clock,
                         DaemonMetrics metrics) {
        this.secrets = Set.copyOf(secrets);
        this.backend = Objects.requireNonNull(backend, "backend");
        this.description = Objects.requireNonNull(description, "description");
        this.origin = origin;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = metrics;
        this.createdAt = clock.instant();
        this.since = createdAt;
        if (metrics != null) {
            metrics.backendUp(backend, false);
        }
    }

    public String backend() {
        return backend;
    }

    /** A read succeeded; {@code dataAgeSeconds} is the age of the oldest value it returned. */
    public synchronized void succeeded(double dataAgeSeconds) {
        Instant now = clock.instant();
        if (state == State.DOWN) {
            LOG.info("{} recovered after {} failed read(s), {} down", description, consecutiveFailures,
                    Duration.between(since, now).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        } else if (state == State.UNKNOWN) {
            LOG.info("{} reachable", description);
        }
        if (state != State.UP) {
            since = now;
        }
        state = State.UP;
        lastSuccess = now;
        dataAgeAtSuccess = Math.max(0, dataAgeSeconds);
        consecutiveFailures = 0;
        publish(now);
    }

    /** A read failed as a whole (not one topic or query). */
    public synchronized void failed(Throwable error) {
        if (error instanceof io.github.resilience4j.circuitbreaker.CallNotPermittedException) {
            stillDown(error); // not called while the breaker is open
            return;
        }
        failed(safeMessage(error));
    }

    /**
     * Not read this time (breaker open, last read still running): still down for the reason already known, or
     * down for {@code error} if it was not down.
     */
    public synchronized void stillDown(Throwable error) {
        failed(state == State.DOWN ? lastError : safeMessage(error));
    }

    private void failed(String error) {
        Instant now = clock.instant();
        consecutiveFailures++;
        lastError = error;
        if (state != State.DOWN) {
            since = now;
            state = State.DOWN;
            LOG.warn("{} unavailable{}: {}; its jobs hold with HOLD_BACKEND_UNAVAILABLE until it answers again{}", description,
                    origin == null ? "" : " (configured at " + origin + ")", error,
                    lastSuccess == null ? "" : "; last success " + lastSuccess);
        }
        publish(now);
    }

    /** Why this backend's jobs hold, or empty while it is up (or not read yet). */
    public synchronized Optional<String> unavailableReason() {
        return state == State.DOWN ? Optional.of(description + " unavailable: " + lastError) : Optional.empty();
    }

    public synchronized State state() {
        return state;
    }

    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** Time of the last successful read; empty if none yet. */
    public synchronized Optional<Instant> lastSuccess() {
        return Optional.ofNullable(lastSuccess);
    }

    /** Re-publishes the ages so they keep growing while the backend is down. */
    public synchronized void refresh() {
        publish(clock.instant());
    }

    private void publish(Instant now) {
        if (metrics == null) {
            return;
        }
        // Never succeeded: age since the daemon started, so an alert on the age fires for a backend down from the start.
        double sinceSuccess = Math.max(0, Duration.between(lastSuccess == null ? createdAt : lastSuccess, now).toMillis() / 1000.0);
        metrics.backendUp(backend, state == State.UP);
        metrics.backendLastSuccessAge(backend, sinceSuccess);
        metrics.signalAge(backend, state == State.UP ? dataAgeAtSuccess : dataAgeAtSuccess + sinceSuccess);
    }

    /**
     * The one place a backend's error becomes text for logs, metrics and {@code /jobs}: the outer message and its
     * root cause. Credentials must be masked here (URL user info, configured secrets) before the text leaves.
     */
    private String safeMessage(Throwable error) {
        String text = Secrets.maskSecrets(describe(error), secrets);
        // Kept per job in /jobs history: long driver messages are cut.
        return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR) + "...";
    }

    /** "Outer: message; cause: Root: message", walking getCause() to the deepest cause with a message. */
    static String describe(Throwable error) {
        if (error == null) {
            return "unknown error";
        }
        Throwable outer = error;
        while ((outer instanceof ExecutionException || outer instanceof CompletionException) && outer.getCause() != null) {
            outer = outer.getCause();
        }
        Throwable root = outer;
        Throwable meaningful = outer;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
            root = root.getCause();
            if (root.getMessage() != null && !root.getMessage().isBlank()) {
                meaningful = root;
            }
        }
        String top = text(outer);
        if (meaningful == outer) {
            return top;
        }
        String deep = text(meaningful);
        return top.contains(deep) ? top : top + "; cause: " + deep;
    }

    private static String text(Throwable t) {
        String msg = t.getMessage();
        boolean wrapper = t instanceof KafkaUnreachableException || t instanceof FleetSignalSource.BackendUnavailableException;
        if (wrapper && msg != null && !msg.isBlank()) {
            return msg.strip(); // our own wrappers already say what happened
        }
        return t.getClass().getSimpleName() + (msg == null || msg.isBlank() ? "" : ": " + msg.strip());
    }
}

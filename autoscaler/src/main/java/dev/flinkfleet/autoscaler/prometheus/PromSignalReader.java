package dev.flinkfleet.autoscaler.prometheus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.flinkfleet.policies.SignalKind;

/**
 * Reads every configured signal for the whole fleet: one value query and one sample-time query per signal per
 * cycle, all sent at once and evaluated at the same instant, so the cost does not grow with the number of
 * requests per job (Prometheus does the per-job aggregation).
 *
 * <p>Freshness: an instant query stamps every result with its evaluation time, and Prometheus returns a series
 * up to its lookback delta (5 minutes by default) after its last sample, so the value's own timestamp says
 * nothing about how old the data is. The companion sample-time query returns, per job, the oldest
 * {@code timestamp()} behind the value; the age is evaluation time minus that. Where it has no answer, the age
 * is the lookback delta: the worst case, which makes the value stale (good to scale up on, never down).
 */
public final class PromSignalReader {

    private static final Logger LOG = LoggerFactory.getLogger(PromSignalReader.class);
    /** Job names listed per problem in a log line; the count is always given. */
    private static final int MAX_NAMED = 5;

    private final InstantQueries api;
    private final PromQueries queries;
    private final SeriesKeys keys;
    private final Duration staleAfter;
    private final Duration lookbackDelta;

    /** Keyed by the job label alone. */
    public PromSignalReader(InstantQueries api, PromQueries queries, String jobLabel, Duration staleAfter, Duration lookbackDelta) {
        this(api, queries, SeriesKeys.jobNameOnly(jobLabel), staleAfter, lookbackDelta);
    }

    public PromSignalReader(InstantQueries api, PromQueries queries, SeriesKeys keys, Duration staleAfter, Duration lookbackDelta) {
        this.api = Objects.requireNonNull(api, "api");
        this.queries = Objects.requireNonNull(queries, "queries");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.staleAfter = Objects.requireNonNull(staleAfter, "staleAfter");
        this.lookbackDelta = Objects.requireNonNull(lookbackDelta, "lookbackDelta");
    }

    public PromSignalReader(InstantQueries api, PrometheusSettings settings) {
        this(api, settings.queries(), settings.keys(), settings.staleAfter(), settings.lookbackDelta());
    }

    /** Reads all signals evaluated at {@code now}. Never throws for a failed query: that signal is left out. */
    public PromSnapshot read(Instant now) {
        Map<SignalKind, CompletableFuture<List<InstantSeries>>> valueCalls = new EnumMap<>(SignalKind.class);
        Map<SignalKind, CompletableFuture<List<InstantSeries>>> timeCalls = new EnumMap<>(SignalKind.class);
        for (PromQueries.SignalQuery q : queries.bySignal().values()) {
            valueCalls.put(q.kind(), call(q.value(), now));
            q.sampleTime().ifPresent(t -> timeCalls.put(q.kind(), call(t, now)));
        }

        double nowSeconds = now.toEpochMilli() / 1000.0;
        double unknownTime = nowSeconds - lookbackDelta.toMillis() / 1000.0;
        Map<SignalKind, Map<String, Sample>> samples = new EnumMap<>(SignalKind.class);
        Map<SignalKind, String> errors = new EnumMap<>(SignalKind.class);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<SignalKind, CompletableFuture<List<InstantSeries>>> e : valueCalls.entrySet()) {
            SignalKind kind = e.getKey();
            List<InstantSeries> values;
            try {
                values = await(e.getValue());
            } catch (PrometheusException ex) {
                errors.put(kind, ex.getMessage());
                // Logged by the daemon once per change (BackendHealth, FleetSignalSource), not here every cycle.
                LOG.debug("{}: no values this cycle: {}", kind.key(), ex.getMessage());
                continue;
            }
            Map<String, Double> sampleTimes = Map.of();
            CompletableFuture<List<InstantSeries>> timeCall = timeCalls.get(kind);
            if (timeCall != null) {
                try {
                    sampleTimes = byJob(kind.key() + " sample-time", await(timeCall), problems);
                } catch (PrometheusException ex) {
                    problems.add(kind.key() + " sample-time query failed, ages taken as " + lookbackDelta + ": " + ex.getMessage());
                }
            }
            Map<String, Sample> byJob = new HashMap<>();
            for (Map.Entry<String, Double> v : byJob(kind.key(), values, problems).entrySet()) {
                Double t = sampleTimes.get(v.getKey());
                // A sample can never be newer than the evaluation time; treat a bad answer as unknown.
                double time = t != null && Double.isFinite(t) && t <= nowSeconds ? t : unknownTime;
                byJob.put(v.getKey(), new Sample(v.getValue(), time));
            }
            samples.put(kind, byJob);
        }
        problems.forEach(p -> LOG.warn("{}", p));
        return new PromSnapshot(now, staleAfter, samples, errors, problems);
    }

    /** One value per job key ({@link SeriesKeys#keyOf}). Series without a key are ignored, keys with several series dropped. */
    private Map<String, Double> byJob(String what, List<InstantSeries> series, List<String> problems) {
        Map<String, Double> out = new LinkedHashMap<>();
        TreeSet<String> duplicated = new TreeSet<>();
        int unlabelled = 0;
        for (InstantSeries s : series) {
            String job = keys.keyOf(s.labels());
            if (job == null) {
                unlabelled++;
            } else if (out.putIfAbsent(job, s.sample().value()) != null) {
                duplicated.add(job);
            }
        }
        // Two series for one job means the template does not aggregate by the key labels alone; picking one
        // could scale on the wrong number, so the job gets no value instead.
        duplicated.forEach(out::remove);
        if (!duplicated.isEmpty()) {
            problems.add(what + ": " + duplicated.size() + " job(s) with more than one series (template must aggregate by "
                    + keys.byClause() + " only), left missing: " + duplicated.stream().limit(MAX_NAMED).toList());
        }
        if (unlabelled > 0) {
            problems.add(what + ": " + unlabelled + " series without label " + keys.jobLabel()
                    + (keys.byDeployment() ? " (or " + keys.namespaceLabel() + " and " + keys.deploymentLabel() + ")" : "") + " ignored");
        }
        return out;
    }

    private CompletableFuture<List<InstantSeries>> call(String promql, Instant now) {
        try {
            return api.queryAsync(promql, now);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static List<InstantSeries> await(CompletableFuture<List<InstantSeries>> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrometheusException(PrometheusException.Kind.IO, "(interrupted)", "interrupted while waiting for Prometheus");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            while (c instanceof CompletionException && c.getCause() != null) {
                c = c.getCause();
            }
            if (c instanceof PrometheusException pe) {
                throw pe;
            }
            throw new PrometheusException(PrometheusException.Kind.IO, "(unknown)", String.valueOf(c));
        }
    }
}

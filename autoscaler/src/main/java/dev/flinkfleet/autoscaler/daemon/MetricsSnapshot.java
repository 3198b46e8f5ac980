package dev.flinkfleet.autoscaler.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/**
 * What one cycle looks like on {@code /metrics}: the fleet aggregates per application, and the few jobs that
 * get series of their own (all of them with {@code per-job = all}). Built once per cycle from its outcomes and
 * read by every scrape until the next, so a scrape never sees half a cycle. Pure: the caller passes the limits
 * and the times of recent rescales and failures it keeps.
 *
 * @param jobs         the jobs exported one by one, most urgent first
 * @param applications aggregates per application, by name
 * @param attention    jobs that need attention (before the cap on exported jobs)
 */
record MetricsSnapshot(List<JobRow> jobs, Map<String, AppAggregate> applications, int attention) {

    static final MetricsSnapshot EMPTY = new MetricsSnapshot(List.of(), Map.of(), 0);

    /** Limits of an application, for the SLA and at-max checks. */
    record Limits(int maxWorkers, double slaSeconds) {
    }

    /**
     * One exported job. Values that do not apply (no decision, not failing, a missing signal) are NaN and not
     * exported.
     */
    record JobRow(JobRef job, String application, JobAttention cause, double currentWorkers, double desiredWorkers,
                  double maxWorkers, double slaSeconds, double signalQuality, double lastDecisionSeconds,
                  double failingSinceSeconds, double[] signals) {

        double signal(SignalKind k) {
            return signals[k.ordinal()];
        }
    }

    /** One application's jobs this cycle, by the reason of their last decision, signal quality and attention. */
    static final class AppAggregate {
        final Map<ReasonCode, Integer> byReason = new EnumMap<>(ReasonCode.class);
        final int[] byQuality = new int[Quality.values().length];
        final Map<JobAttention, Integer> byAttention = new EnumMap<>(JobAttention.class);
        long workersCurrent;
        long workersDesired;
    }

    /** The reason a job ends the cycle with: the actuator's when it did not apply, HOLD_ERROR without a decision. */
    static ReasonCode effectiveReason(JobOutcome o) {
        Decision d = o.decision();
        if (d == null) {
            return ReasonCode.HOLD_ERROR;
        }
        return o.result() != null && o.result().reason() != null && !o.result().applied() ? o.result().reason() : d.reason();
    }

    /**
     * @param lastRescale  when each recently rescaled job was last rescaled (this cycle's included)
     * @param failingSince since when each failing job has failed (this cycle's included)
     */
    static MetricsSnapshot of(List<JobOutcome> outcomes, Map<String, Limits> limits, Map<JobRef, Instant> lastRescale,
                              Map<JobRef, Instant> failingSince, MetricsSettings settings, Instant now) {
        Map<String, AppAggregate> apps = new TreeMap<>();
        List<Candidate> candidates = new ArrayList<>();
        int attention = 0;
        for (JobOutcome o : outcomes) {
            JobRef job = o.plan().job();
            String app = o.plan().application();
            AppAggregate agg = apps.computeIfAbsent(app, a -> new AppAggregate());
            Limits lim = limits.get(app);
            Decision d = o.decision();
            Signals s = o.signals();
            ReasonCode reason = effectiveReason(o);
            agg.byReason.merge(reason, 1, Integer::sum);
            if (d != null) {
                agg.byQuality[d.signalQuality().ordinal()]++;
            }
            int current = d != null ? d.currentWorkers() : s != null ? s.currentWorkers() : -1;
            if (current >= 0) {
                agg.workersCurrent += current;
                // A hold or a failed job keeps its size: desired = current.
                agg.workersDesired += d != null && (o.applied() || o.result() == null) ? d.targetWorkers() : current;
            }

            JobAttention first = JobAttention.NONE;
            double score = 0;
            boolean[] causes = new boolean[JobAttention.values().length];
            if (o.failed() || reason == ReasonCode.HOLD_ERROR || reason == ReasonCode.HOLD_UNSAFE_STATE) {
                causes[JobAttention.ERROR.ordinal()] = true;
            }
            double lag = value(s, SignalKind.WATERMARK_LAG);
            if (lim != null && lim.slaSeconds() > 0 && lag > lim.slaSeconds()) {
                causes[JobAttention.OVER_SLA.ordinal()] = true;
                score = lag / lim.slaSeconds();
            }
            if (lim != null && current >= lim.maxWorkers() && value(s, SignalKind.BACKLOG_GROWTH) > 0) {
                causes[JobAttention.BACKLOG_GROWING_AT_MAX.ordinal()] = true;
            }
            if (d != null && d.signalQuality() != Quality.FRESH) {
                causes[JobAttention.SIGNALS_NOT_FRESH.ordinal()] = true;
            }
            Instant rescaled = lastRescale.get(job);
            if (rescaled != null && Duration.between(rescaled, now).compareTo(settings.recentlyRescaled()) <= 0) {
                causes[JobAttention.RECENTLY_RESCALED.ordinal()] = true;
            }
            for (JobAttention a : JobAttention.values()) {
                if (a != JobAttention.NONE && causes[a.ordinal()]) {
                    agg.byAttention.merge(a, 1, Integer::sum);
                    if (first == JobAttention.NONE) {
                        first = a;
                    }
                }
            }
            if (first != JobAttention.NONE) {
                attention++;
            }
            if (first != JobAttention.NONE || settings.allJobs()) {
                if (first == JobAttention.RECENTLY_RESCALED) {
                    score = rescaled.toEpochMilli();
                }
                candidates.add(new Candidate(o, lim, first, score, current));
            }
        }
        // Most urgent cause first; within one, the furthest over its SLA or the latest rescale; then by name.
        candidates.sort(Comparator.comparing(Candidate::cause).thenComparing(Comparator.comparingDouble(Candidate::score).reversed())
                .thenComparing(c -> c.outcome().plan().job()));
        int keep = settings.allJobs() ? candidates.size() : Math.min(settings.maxJobs(), candidates.size());
        List<JobRow> rows = new ArrayList<>(keep);
        for (Candidate c : candidates.subList(0, keep)) {
            rows.add(row(c, failingSince.get(c.outcome().plan().job())));
        }
        return new MetricsSnapshot(List.copyOf(rows), apps, attention);
    }

    private record Candidate(JobOutcome outcome, Limits limits, JobAttention cause, double score, int current) {
    }

    private static JobRow row(Candidate c, Instant failingSince) {
        JobOutcome o = c.outcome();
        Decision d = o.decision();
        double[] signals = new double[SignalKind.values().length];
        for (SignalKind k : SignalKind.values()) {
            signals[k.ordinal()] = value(o.signals(), k);
        }
        return new JobRow(o.plan().job(), o.plan().application(), c.cause(), c.current() < 0 ? Double.NaN : c.current(),
                d == null ? Double.NaN : d.targetWorkers(), c.limits() == null ? Double.NaN : c.limits().maxWorkers(),
                c.limits() == null ? Double.NaN : c.limits().slaSeconds(), d == null ? Double.NaN : d.signalQuality().ordinal(),
                d == null ? Double.NaN : d.at().toEpochMilli() / 1000.0,
                failingSince == null ? Double.NaN : failingSince.toEpochMilli() / 1000.0, signals);
    }

    private static double value(Signals s, SignalKind k) {
        if (s == null) {
            return Double.NaN;
        }
        Measurement m = s.get(k);
        return m == null || m.isMissing() ? Double.NaN : m.value();
    }

    MetricsSnapshot {
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(applications, "applications");
    }
}

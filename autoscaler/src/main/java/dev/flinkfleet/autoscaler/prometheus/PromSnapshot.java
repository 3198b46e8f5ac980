package dev.flinkfleet.autoscaler.prometheus;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.signals.MetricObservation;

/**
 * What one read of Prometheus returned: per signal, the raw sample of every job it covered, keyed by the job
 * keys ({@link SeriesKeys}: {@code namespace/name} or the job label's value). A job absent from a signal's map has no
 * value for it (missing, never zero).
 *
 * @param evaluatedAt the evaluation time of every query in this read
 * @param staleAfter  values older than this are {@link dev.flinkfleet.policies.Quality#STALE}
 * @param samples     per signal, job label value to sample; the sample's timestamp is the true sample time
 * @param errors      per signal whose value query failed, why (that signal is missing for every job)
 * @param problems    anything else worth a log line (duplicate or unlabelled series, failed sample-time query)
 */
public record PromSnapshot(
        Instant evaluatedAt,
        Duration staleAfter,
        Map<SignalKind, Map<String, Sample>> samples,
        Map<SignalKind, String> errors,
        List<String> problems) {

    public PromSnapshot {
        EnumMap<SignalKind, Map<String, Sample>> copy = new EnumMap<>(SignalKind.class);
        samples.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
        samples = Collections.unmodifiableMap(copy);
        errors = errors.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(errors));
        problems = List.copyOf(problems);
    }

    /** Job label value to raw sample for {@code kind}; empty when the signal was not read or its query failed. */
    public Map<String, Sample> signal(SignalKind kind) {
        return samples.getOrDefault(kind, Map.of());
    }

    /** Every job label value seen in any signal. */
    public Set<String> jobs() {
        Set<String> all = new TreeSet<>();
        samples.values().forEach(m -> all.addAll(m.keySet()));
        return all;
    }

    /** Seconds between the sample's true time and the evaluation time. */
    public double ageSeconds(Sample s) {
        return evaluatedAtSeconds() - s.timestampSeconds();
    }

    /**
     * The classified measurement of {@code kind} for {@code job}: missing when there is no series or the value
     * is unusable (NaN, infinite, negative for an unsigned signal, CPU far above 1), stale when old. The rules are
     * the engine's ({@link MetricObservation#classify}), shared with the simulator.
     */
    public Measurement measurement(SignalKind kind, String job) {
        Sample s = signal(kind).get(job);
        if (s == null) {
            return Measurement.missing();
        }
        return MetricObservation.classify(kind, s.value(), s.timestampSeconds(), evaluatedAtSeconds(), staleAfterSeconds());
    }

    /**
     * Everything this read returned for a job: under its FlinkDeployment key ({@code namespace/name}) when its
     * series carry those labels, else under {@code jobLabelValue} (series without them); null {@code
     * jobLabelValue} = only the FlinkDeployment key.
     */
    public MetricObservation observation(dev.flinkfleet.policies.JobRef job, String jobLabelValue) {
        String byDeployment = SeriesKeys.deploymentKey(job.namespace(), job.name());
        boolean labelled = samples.values().stream().anyMatch(m -> m.containsKey(byDeployment));
        return observation(labelled || jobLabelValue == null ? byDeployment : jobLabelValue);
    }

    /** Everything this read returned for {@code job}, as the raw observation the engine derives signals from. */
    public MetricObservation observation(String job) {
        return new MetricObservation(evaluatedAtSeconds(), staleAfterSeconds(),
                raw(SignalKind.THROUGHPUT, job), raw(SignalKind.CPU, job), raw(SignalKind.WATERMARK_LAG, job),
                raw(SignalKind.BACKLOG, job), raw(SignalKind.BACKLOG_GROWTH, job), raw(SignalKind.INPUT_RATE, job));
    }

    private MetricObservation.Sample raw(SignalKind kind, String job) {
        Sample s = signal(kind).get(job);
        return s == null ? null : new MetricObservation.Sample(s.value(), s.timestampSeconds());
    }

    private double evaluatedAtSeconds() {
        return evaluatedAt.toEpochMilli() / 1000.0;
    }

    private double staleAfterSeconds() {
        return staleAfter.toMillis() / 1000.0;
    }
}

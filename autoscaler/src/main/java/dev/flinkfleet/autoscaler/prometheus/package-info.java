/**
 * Signals from Prometheus, which scrapes Flink's Prometheus metric reporter.
 *
 * <ul>
 *   <li>{@link dev.flinkfleet.autoscaler.prometheus.PrometheusClient}: the HTTP query API (POST, form-encoded),
 *       typed {@link dev.flinkfleet.autoscaler.prometheus.PrometheusException} on every failure.</li>
 *   <li>{@link dev.flinkfleet.autoscaler.prometheus.PromQueries}: fleet-wide PromQL per signal from the
 *       {@code flinkfleet.prometheus.queries} templates, always aggregated by the job label (Flink's
 *       {@code task_attempt_id} and {@code tm_id} change on every rescale).</li>
 *   <li>{@link dev.flinkfleet.autoscaler.prometheus.PromSignalReader}: per cycle, one value query and one
 *       sample-time query per signal for all jobs, giving a
 *       {@link dev.flinkfleet.autoscaler.prometheus.PromSnapshot} keyed by the job label's value.</li>
 * </ul>
 *
 * <p>Decisions: CPU is the MAX busy fraction over all subtasks (the bottleneck; an average hides it and could
 * allow a wrong scale-down). A value's age comes from {@code min(timestamp(...))} of the samples behind it, not
 * from the instant query's evaluation time, which the 5-minute lookback makes meaningless; unknown age counts
 * as the lookback delta (stale). NaN, infinite and (for unsigned signals) negative values become missing.
 * Mapping job label values to {@link dev.flinkfleet.policies.JobRef}s, and preferring {@code pendingRecords}
 * over committed-offset lag, is the combining signal source's job.
 */
package dev.flinkfleet.autoscaler.prometheus;

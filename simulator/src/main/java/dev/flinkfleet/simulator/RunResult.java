package dev.flinkfleet.simulator;

import dev.flinkfleet.simulator.model.LatencyHistogram;
import dev.flinkfleet.simulator.model.SeriesRecorder;
import dev.flinkfleet.simulator.report.Summary;

/**
 * One strategy replayed over one job.
 *
 * @param summary    the figures written to summary.json
 * @param latencies  the latency distribution (merged for fleet totals)
 * @param series     downsampled time series for the report; null when not recorded
 * @param slaSeconds the job's SLA latency (for the report's SLA line)
 */
public record RunResult(Summary summary, LatencyHistogram latencies, SeriesRecorder series, double slaSeconds) implements java.io.Serializable {
}

package dev.flinkfleet.simulator.operator;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.flink.autoscaler.JobAutoScalerContext;
import org.apache.flink.autoscaler.ScalingMetricCollector;
import org.apache.flink.autoscaler.metrics.FlinkMetric;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.runtime.jobgraph.JobVertexID;
import org.apache.flink.runtime.rest.messages.job.JobDetailsInfo;
import org.apache.flink.runtime.rest.messages.job.metrics.AggregatedMetric;
import org.apache.flink.runtime.rest.messages.job.metrics.Metric;

/**
 * The library's metric collector with the REST calls answered by the simulated job instead of a cluster. Only
 * the three REST reads are replaced (job details, a vertex's metric names, their aggregated values); the
 * library's own code picks the metrics, finds the partition count, builds the topology and keeps the history.
 * JobManager and TaskManager metrics (slots, heap, GC) are not modelled: the library then skips its memory and
 * cluster-resource checks, as it does when they are missing on a real cluster.
 */
final class SimulatedMetricCollector extends ScalingMetricCollector<String, JobAutoScalerContext<String>> {

    private final SimulatedJob job;
    private final Clock clock;

    SimulatedMetricCollector(SimulatedJob job, Clock clock) {
        this.job = job;
        this.clock = clock;
        setClock(clock);
    }

    @Override
    public JobDetailsInfo getJobDetailsInfo(JobAutoScalerContext<String> context, Duration clientTimeout) {
        return job.details(clock.instant());
    }

    @Override
    protected Collection<String> queryAggregatedMetricNames(RestClusterClient<?> restClient, JobID jobID, JobVertexID jobVertexID) {
        requireVertex(jobVertexID);
        return job.metricNames();
    }

    @Override
    protected Map<JobVertexID, Map<FlinkMetric, AggregatedMetric>> queryAllAggregatedMetrics(
            JobAutoScalerContext<String> ctx, Map<JobVertexID, Map<String, FlinkMetric>> filteredVertexMetricNames) {
        Map<FlinkMetric, AggregatedMetric> values = job.reading().metrics();
        Map<JobVertexID, Map<FlinkMetric, AggregatedMetric>> out = new HashMap<>();
        filteredVertexMetricNames.forEach((v, names) -> {
            requireVertex(v);
            Map<FlinkMetric, AggregatedMetric> asked = new HashMap<>();
            names.forEach((name, metric) -> {
                AggregatedMetric m = values.get(metric);
                if (m == null) {
                    throw new IllegalStateException("the simulated job has no value for " + metric + " (" + name + ")");
                }
                asked.put(metric, new AggregatedMetric(name, m.getMin(), m.getMax(), m.getAvg(), m.getSum(), m.getSkew()));
            });
            out.put(v, asked);
        });
        return out;
    }

    @Override
    protected Map<FlinkMetric, Metric> queryJmMetrics(JobAutoScalerContext<String> ctx) {
        return Map.of();
    }

    @Override
    protected Map<FlinkMetric, AggregatedMetric> queryTmMetrics(JobAutoScalerContext<String> ctx) {
        return Map.of();
    }

    private void requireVertex(JobVertexID v) {
        if (!job.vertex().equals(v)) {
            throw new IllegalStateException("the simulated job has one vertex, " + job.vertex() + "; asked for " + v);
        }
    }
}

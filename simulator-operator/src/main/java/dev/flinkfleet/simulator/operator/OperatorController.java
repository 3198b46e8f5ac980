package dev.flinkfleet.simulator.operator;

import java.util.List;

import dev.flinkfleet.simulator.Controller;
import dev.flinkfleet.simulator.SimContext;
import org.apache.flink.autoscaler.JobAutoScalerContext;
import org.apache.flink.autoscaler.JobAutoScalerImpl;
import org.apache.flink.autoscaler.ScalingExecutor;
import org.apache.flink.autoscaler.ScalingMetricEvaluator;
import org.apache.flink.autoscaler.state.InMemoryAutoScalerStateStore;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/**
 * One job under the Flink operator's autoscaler: the library's {@link JobAutoScalerImpl} (collector, evaluator,
 * executor, its in-memory state store) runs once per control tick on the simulated clock, as the operator runs it
 * once per reconcile, and its parallelism overrides rescale the simulated job.
 */
final class OperatorController implements Controller {

    private final SimulatedJob job;
    private final Configuration conf;
    private final ScalingEvents events;
    private final JobAutoScalerImpl<String, JobAutoScalerContext<String>> autoscaler;

    OperatorController(SimContext ctx, Configuration conf) {
        var clock = ctx.clock();
        this.conf = conf;
        this.job = new SimulatedJob(ctx.setup().job().name(), ctx.fluid(), clock.instant());
        this.events = new ScalingEvents(clock);
        var store = new InMemoryAutoScalerStateStore<String, JobAutoScalerContext<String>>();
        var executor = new ScalingExecutor<>(events, store);
        LibraryClocks.set(LibraryClocks.read(executor, "jobVertexScaler"), clock);
        this.autoscaler = new JobAutoScalerImpl<>(new SimulatedMetricCollector(job, clock), new ScalingMetricEvaluator(),
                executor, events, new SimulatedRealizer(job), store);
        LibraryClocks.set(autoscaler, clock);
    }

    @Override
    public void control(SimContext ctx, long stepIndex) {
        job.observe(ctx.clock().instant());
        var context = new JobAutoScalerContext<>(ctx.setup().job().name(), job.jobId(), job.status(), conf,
                new UnregisteredMetricsGroup(), () -> null);
        try {
            autoscaler.scale(context);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("flink-operator-autoscaler failed on job " + ctx.setup().job() + ": " + e, e);
        }
        job.cycleDone();
    }

    /** The library's most recent events for this job (scaling reports with their reasons, warnings). */
    List<ScalingEvents.Event> events() {
        return events.recent();
    }
}

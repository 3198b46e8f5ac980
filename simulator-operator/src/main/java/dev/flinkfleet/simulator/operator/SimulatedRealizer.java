package dev.flinkfleet.simulator.operator;

import java.util.Map;

import org.apache.flink.autoscaler.JobAutoScalerContext;
import org.apache.flink.autoscaler.realizer.ScalingRealizer;
import org.apache.flink.autoscaler.tuning.ConfigChanges;

/**
 * Applies the library's parallelism overrides to the simulated job, as the operator applies them to the
 * FlinkDeployment (a changed parallelism redeploys the job). The library re-sends its overrides every cycle; an
 * unchanged one is not a rescale.
 */
final class SimulatedRealizer implements ScalingRealizer<String, JobAutoScalerContext<String>> {

    private final SimulatedJob job;

    SimulatedRealizer(SimulatedJob job) {
        this.job = job;
    }

    @Override
    public void realizeParallelismOverrides(JobAutoScalerContext<String> context, Map<String, String> overrides) {
        String value = overrides.get(job.vertex().toHexString());
        if (value == null || overrides.size() != 1) {
            throw new IllegalStateException("expected one override, for vertex " + job.vertex() + "; got " + overrides);
        }
        job.rescale(Integer.parseInt(value));
    }

    @Override
    public void realizeConfigOverrides(JobAutoScalerContext<String> context, ConfigChanges configChanges) {
        // Memory tuning is off by default, so the library never calls this.
    }
}

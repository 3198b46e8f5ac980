package dev.flinkfleet.simulator.operator;

import dev.flinkfleet.simulator.Controller;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.Strategy;
import org.apache.flink.autoscaler.config.AutoScalerOptions;
import org.apache.flink.configuration.Configuration;

/**
 * Baseline {@value #NAME}: the Flink Kubernetes operator's autoscaler, the released
 * {@code org.apache.flink:flink-autoscaler} library, deciding every rescale with its default options (only
 * {@code job.autoscaler.enabled} is switched on, as a user does).
 */
public final class OperatorAutoscalerBaseline implements Strategy {

    public static final String NAME = "flink-operator-autoscaler";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Controller start(SimContext ctx) {
        return new OperatorController(ctx, defaults());
    }

    /** The library's defaults with autoscaling switched on. */
    static Configuration defaults() {
        Configuration conf = new Configuration();
        conf.set(AutoScalerOptions.AUTOSCALER_ENABLED, true);
        return conf;
    }
}

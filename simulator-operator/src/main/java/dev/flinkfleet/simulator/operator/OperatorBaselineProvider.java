package dev.flinkfleet.simulator.operator;

import java.util.List;

import dev.flinkfleet.simulator.BaselineProvider;
import dev.flinkfleet.simulator.Strategy;

/** Adds {@value OperatorAutoscalerBaseline#NAME} to {@code simulate --baselines} when this module is on the class path. */
public final class OperatorBaselineProvider implements BaselineProvider {

    @Override
    public List<Strategy> baselines() {
        return List.of(new OperatorAutoscalerBaseline());
    }
}

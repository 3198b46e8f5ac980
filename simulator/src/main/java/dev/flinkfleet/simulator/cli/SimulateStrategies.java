package dev.flinkfleet.simulator.cli;

import java.util.List;

import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.engine.ShippedPolicy;
import dev.flinkfleet.simulator.engine.StrategyRecipe;

/** {@code simulate}'s strategies as a recipe: the policies named, then the baselines they do not cover. */
record SimulateStrategies(List<ShippedPolicy> policies, boolean baselines) implements StrategyRecipe {

    SimulateStrategies {
        policies = List.copyOf(policies);
    }

    @Override
    public List<Strategy> build() {
        return SimulateCommand.strategies(Policies.loader(), policies.stream().map(ShippedPolicy::resolve).toList(), baselines);
    }
}

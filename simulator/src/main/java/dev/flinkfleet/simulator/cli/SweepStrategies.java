package dev.flinkfleet.simulator.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.flinkfleet.simulator.Fleet;
import dev.flinkfleet.simulator.PolicyLoader;
import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.engine.ShippedPolicy;
import dev.flinkfleet.simulator.engine.StrategyRecipe;
import dev.flinkfleet.simulator.sweep.Grid;

/** {@code sweep}'s strategies as a recipe: the policy at every grid point, then the baselines unless left out. */
record SweepStrategies(ShippedPolicy policy, List<Map<String, String>> grid, boolean baselines) implements StrategyRecipe {

    SweepStrategies {
        // Copies that serialize, in axis order.
        grid = grid.stream().<Map<String, String>>map(LinkedHashMap::new).toList();
    }

    @Override
    public List<Strategy> build() {
        PolicyLoader loader = Policies.loader();
        String p = policy.resolve();
        List<Strategy> out = new ArrayList<>();
        for (Map<String, String> c : grid) {
            out.add(loader.load(p, c, Grid.label(c)));
        }
        if (baselines) {
            out.addAll(Fleet.baselines(loader));
        }
        return out;
    }
}

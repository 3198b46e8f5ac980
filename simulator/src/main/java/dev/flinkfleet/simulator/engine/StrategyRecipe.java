package dev.flinkfleet.simulator.engine;

import java.io.Serializable;
import java.util.List;

import dev.flinkfleet.simulator.Strategy;

/**
 * How to build a replay's strategies where it runs: strategies hold live policy instances that do not travel, so
 * a remote replay ships the recipe (policy names, policy files' contents, grid points) and builds them there.
 */
public interface StrategyRecipe extends Serializable {

    /** The strategies, in the order the caller expects results (the same order on every call). */
    List<Strategy> build();
}

package dev.flinkfleet.simulator;

import java.util.List;

/**
 * Extra baselines from modules that the simulator does not depend on (such as the Flink operator's autoscaler,
 * which brings Flink with it). Found with {@link java.util.ServiceLoader} on the class path; {@code --baselines}
 * runs them after the built-in ones.
 */
public interface BaselineProvider {

    /** The baselines this module adds, each with a distinct {@link Strategy#name()}. */
    List<Strategy> baselines();
}

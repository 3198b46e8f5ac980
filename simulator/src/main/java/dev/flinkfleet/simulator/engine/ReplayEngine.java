package dev.flinkfleet.simulator.engine;

import java.io.PrintWriter;
import java.io.Serializable;
import java.util.List;

import dev.flinkfleet.simulator.RunResult;
import dev.flinkfleet.simulator.report.Summary;

/**
 * Runs a fleet replay somewhere other than on this JVM's thread pool (the commands' own, in-process path). Found
 * by {@link Provider#name()} with {@link java.util.ServiceLoader}, as {@link dev.flinkfleet.simulator.BaselineProvider}s
 * are, so the simulator stays free of the engine's libraries.
 */
public interface ReplayEngine {

    /**
     * Every strategy of {@code replay} over its whole fleet: one result per strategy, in recipe order.
     *
     * @param names the strategies' names as built here, checked against those the engine builds
     * @param err   progress and engine notes
     */
    List<StrategyResult> run(FleetReplay replay, List<String> names, PrintWriter err) throws Exception;

    /**
     * One strategy over the fleet.
     *
     * @param runs     per job, in job order
     * @param headline the fleet total, or the only job ({@link dev.flinkfleet.simulator.Fleet#headline})
     */
    record StrategyResult(List<RunResult> runs, Summary headline) implements Serializable {
    }

    /** Makes an engine; one per command run. */
    interface Provider {

        /** The {@code --engine} value that selects this engine. */
        String name();

        /**
         * @param cluster     HOST:PORT of a cluster to submit to; null = an embedded one
         * @param parallelism tasks that replay at once
         */
        ReplayEngine create(String cluster, int parallelism);
    }
}

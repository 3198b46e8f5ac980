package dev.flinkfleet.simulator.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import dev.flinkfleet.simulator.BadInputException;
import dev.flinkfleet.simulator.engine.ReplayEngine;
import picocli.CommandLine.Option;

/** Where {@code sweep} and {@code simulate} replay: on this JVM's threads, or as a Flink batch job; a picocli mixin. */
public final class EngineOptions {

    static final String LOCAL = "local";
    static final String FLINK = "flink";

    @Option(names = "--engine", paramLabel = "E",
            description = "local: on this JVM's threads; flink: as a Flink batch job (one task per job and setting), on an embedded MiniCluster"
                    + " unless --flink-cluster is given. Both give the same numbers. Default: flink when the simulator-flink module is on the"
                    + " class path (bin/autoscaler puts it there), else local.")
    String engine;

    @Option(names = "--flink-cluster", paramLabel = "HOST:PORT",
            description = "Submit the Flink job to this cluster's REST endpoint (the JobManager's rest.port) instead of an embedded MiniCluster.")
    String cluster;

    /**
     * The engine to replay on, or null for the in-process path.
     *
     * @param parallelism     tasks that replay at once
     * @param builtInPolicies false when the command was given its own policy loader (tests): an engine builds its
     *                        strategies from the built-in registry, so such a command replays in process by default
     */
    ReplayEngine select(int parallelism, boolean builtInPolicies) {
        List<ReplayEngine.Provider> found = new ArrayList<>();
        ServiceLoader.load(ReplayEngine.Provider.class).forEach(found::add);
        String chosen = engine != null ? engine
                : cluster != null || builtInPolicies && found.stream().anyMatch(p -> p.name().equals(FLINK)) ? FLINK : LOCAL;
        if (cluster != null && !cluster.matches("[^:\\s]+:\\d{1,5}")) {
            throw new BadInputException("--flink-cluster '" + cluster + "': expected HOST:PORT (the JobManager's REST address)");
        }
        if (chosen.equals(LOCAL)) {
            if (cluster != null) {
                throw new BadInputException("--flink-cluster needs --engine flink, not --engine local");
            }
            return null;
        }
        if (!builtInPolicies) {
            throw new BadInputException("--engine " + chosen + " replays the built-in policy registry; this command was given another policy loader");
        }
        for (ReplayEngine.Provider p : found) {
            if (p.name().equals(chosen)) {
                return p.create(cluster, Math.max(1, parallelism));
            }
        }
        List<String> known = new ArrayList<>(List.of(LOCAL));
        found.forEach(p -> known.add(p.name()));
        throw new BadInputException("--engine '" + chosen + "': not available here; known: " + known
                + (chosen.equals(FLINK) ? " (the flink engine is the simulator-flink module; bin/autoscaler puts it on the class path)" : ""));
    }
}

package dev.flinkfleet.simulator.baselines;

import java.nio.file.Path;
import java.util.Arrays;

import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.Simulation;
import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.model.JobModelFile;
import dev.flinkfleet.simulator.report.Summary;
import dev.flinkfleet.simulator.trace.Trace;
import dev.flinkfleet.simulator.trace.TraceReader;

/**
 * Not a test: wall time of one replay under {@code hindsight} and under {@code reference}, five runs each, median
 * printed with cost / SLA minutes / rescales (BENCHMARKS.md, "The clairvoyant reference").
 * Arguments: a job-model file or {@code default}, then trace CSVs.
 */
public final class ReferenceBench {

    public static void main(String[] args) {
        JobModelFile models = args[0].equals("default") ? JobModelFile.defaults() : JobModelFile.load(Path.of(args[0]));
        for (int a = 1; a < args.length; a++) {
            Trace t = TraceReader.read(Path.of(args[a]));
            SimContext.Setup s = SimContext.Setup.of(t, models.modelFor(t.fileName()));
            for (Strategy st : new Strategy[] {new Hindsight(), new Reference()}) {
                double[] ms = new double[5];
                Summary r = null;
                for (int i = 0; i < ms.length; i++) {
                    long t0 = System.nanoTime();
                    r = Simulation.run(s, st, 0).summary();
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(ms);
                System.out.printf("%s %s %.2f/%.1f/%d median %.0f ms (min %.0f, max %.0f)%n", t.name(), st.name(),
                        r.costRatio(), r.slaViolationMinutes(), r.rescales(), ms[2], ms[0], ms[4]);
            }
        }
    }
}

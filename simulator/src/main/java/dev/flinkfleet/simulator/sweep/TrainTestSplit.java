package dev.flinkfleet.simulator.sweep;

import java.util.Arrays;

import dev.flinkfleet.simulator.BadInputException;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.trace.Trace;

/**
 * Cuts a replay by time into a train part (the first {@code fraction} of the trace's rows) and a test part (the
 * rest). Both keep the whole trace's scale, so a quiet test part is not blown up to the model's target peak.
 */
public record TrainTestSplit(SimContext.Setup train, SimContext.Setup test) {

    public static TrainTestSplit of(SimContext.Setup s, double fraction) {
        Trace t = s.trace();
        int cut = cutRow(t.length(), fraction);
        if (cut <= 0 || cut >= t.length()) {
            throw new BadInputException(t.source() + ": " + t.length() + " rows are too few to split at --train-fraction " + fraction);
        }
        return new TrainTestSplit(part(s, slice(t, 0, cut)), part(s, slice(t, cut, t.length())));
    }

    /** The first test row: {@code floor(rows × fraction)}, allowing for binary fractions (1440 × 0.7 is 1007.99…). */
    public static int cutRow(int rows, double fraction) {
        return (int) Math.floor(rows * fraction + 1e-9);
    }

    static Trace slice(Trace t, int from, int to) {
        return new Trace(t.name(), t.fileName(), t.start().plusSeconds((long) from * t.stepSeconds()), t.stepSeconds(),
                Arrays.copyOfRange(t.rates(), from, to), t.source());
    }

    private static SimContext.Setup part(SimContext.Setup s, Trace t) {
        return new SimContext.Setup(s.job(), t, s.model(), s.scale(), s.dtSeconds(), s.stepsPerRow(), s.controlSteps(),
                s.delaySteps(), s.windowSteps(), s.growthSteps());
    }
}

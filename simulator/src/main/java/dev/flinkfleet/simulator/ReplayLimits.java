package dev.flinkfleet.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import dev.flinkfleet.simulator.model.JobModel;
import dev.flinkfleet.simulator.trace.Trace;

/**
 * The sizes one job's replay may reach, checked before it starts, so extreme numbers end in an error naming the
 * trace row or the job-model key instead of an overflow, an Infinity in the results or a replay that runs for
 * hours. Job-model keys are bounded on their own in {@link JobModel#fromConfig}; these limits cover what only
 * the trace and the model together decide.
 */
public final class ReplayLimits {

    /**
     * Most model steps per job and strategy: about 30 s of CPU at the benchmark's 3 × 10^6 steps per second
     * (3 years at a 1 s sub-step). A longer replay would look hung.
     */
    public static final long MAX_STEPS = 100_000_000L;

    /**
     * Most events (after scaling) in one trace. The model's counters are doubles; below 2^53 (≈ 9 × 10^15) their
     * differences, from which the signals are derived, stay exact to well within one event, and no sum can
     * overflow to Infinity.
     */
    public static final double MAX_EVENTS = 1e15;

    private ReplayLimits() {
    }

    /**
     * Every limit {@code trace} under {@code model} breaks. {@code keyAt} names a job-model key with the file
     * and line that set it ({@code job.conf:7: trace-scale}).
     */
    public static List<String> problems(Trace trace, JobModel model, double scale, int dtSeconds, UnaryOperator<String> keyAt) {
        List<String> out = new ArrayList<>();
        String scaleKey = model.targetPeakWorkers() > 0 && trace.peak() > 0
                ? keyAt.apply("target-peak-workers") + " (scale " + fmt(scale) + ")"
                : keyAt.apply("trace-scale");
        double events = trace.totalEvents() * scale;
        if (!(events <= MAX_EVENTS)) {
            int peak = trace.peakRow();
            out.add(trace.lineOf(peak) + ": the trace, scaled by " + scaleKey + ", carries "
                    + (Double.isFinite(events) ? fmt(events) + " events" : "more events than a double holds")
                    + " (peak " + fmt(trace.rates()[peak]) + " ev/s on this row"
                    + (Double.isFinite(scale) ? "" : "; the scale overflows because the peak is so small")
                    + "); a replay models at most 1e15 events exactly");
        }
        long rows = trace.length();
        long perRow = trace.stepSeconds() / dtSeconds;
        if (rows * perRow > MAX_STEPS) {
            out.add(trace.source() + ": replay of " + rows + " rows × " + perRow + " model steps of " + dtSeconds + " s each is more than "
                    + MAX_STEPS + " steps; raise " + keyAt.apply("sub-step-seconds") + " or cut the trace");
        }
        return out;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}

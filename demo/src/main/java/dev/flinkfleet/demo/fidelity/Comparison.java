package dev.flinkfleet.demo.fidelity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Real versus simulated, and whether the simulator met the fidelity goal: the same rescale count ± 1, max
 * backlog and worker-seconds within 20 %.
 */
public record Comparison(Outcome real, Outcome simulated) {

    public static final int RESCALE_SLACK = 1;
    public static final double TOLERANCE = 0.20;

    /** Simulated ÷ real − 1; 0 when both are 0. */
    static double relative(double real, double sim) {
        if (real == 0) {
            return sim == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return sim / real - 1;
    }

    public boolean rescalesMatch() {
        return Math.abs(real.rescales().size() - simulated.rescales().size()) <= RESCALE_SLACK;
    }

    public boolean backlogMatches() {
        return Math.abs(relative(real.maxBacklog(), simulated.maxBacklog())) <= TOLERANCE;
    }

    public boolean workerSecondsMatch() {
        return Math.abs(relative(real.workerSeconds(), simulated.workerSeconds())) <= TOLERANCE;
    }

    public boolean withinGoal() {
        return rescalesMatch() && backlogMatches() && workerSecondsMatch();
    }

    /** What missed the goal, empty when nothing did. */
    public List<String> misses() {
        List<String> out = new ArrayList<>();
        if (!rescalesMatch()) {
            out.add("rescales " + real.rescales().size() + " real vs " + simulated.rescales().size() + " simulated (goal ± " + RESCALE_SLACK + ")");
        }
        if (!backlogMatches()) {
            out.add(String.format(Locale.ROOT, "max backlog %.0f real vs %.0f simulated (%+.0f %%, goal ± 20 %%)",
                    real.maxBacklog(), simulated.maxBacklog(), 100 * relative(real.maxBacklog(), simulated.maxBacklog())));
        }
        if (!workerSecondsMatch()) {
            out.add(String.format(Locale.ROOT, "worker-seconds %.0f real vs %.0f simulated (%+.0f %%, goal ± 20 %%)",
                    real.workerSeconds(), simulated.workerSeconds(), 100 * relative(real.workerSeconds(), simulated.workerSeconds())));
        }
        return out;
    }

    /** A Markdown table: one row per figure, real, simulated, difference. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append("| figure | real | simulated | difference |\n|---|---|---|---|\n");
        row(b, "rescales", real.rescales().size(), simulated.rescales().size(),
                String.format(Locale.ROOT, "%+d", simulated.rescales().size() - real.rescales().size()));
        b.append("| rescale times (from→to) | ").append(times(real)).append(" | ").append(times(simulated)).append(" | |\n");
        row(b, "max backlog (records)", real.maxBacklog(), simulated.maxBacklog(), pct(real.maxBacklog(), simulated.maxBacklog()));
        row(b, "time over SLA (s)", real.slaSeconds(), simulated.slaSeconds(),
                String.format(Locale.ROOT, "%+.0f s", simulated.slaSeconds() - real.slaSeconds()));
        row(b, "max latency (s)", real.maxLatency(), simulated.maxLatency(),
                String.format(Locale.ROOT, "%+.1f s", simulated.maxLatency() - real.maxLatency()));
        row(b, "worker-seconds", real.workerSeconds(), simulated.workerSeconds(), pct(real.workerSeconds(), simulated.workerSeconds()));
        return b.toString();
    }

    private static String times(Outcome o) {
        return o.rescales().isEmpty() ? "none" : o.rescales().stream().map(Outcome.Rescale::toString).collect(Collectors.joining(", "));
    }

    private static void row(StringBuilder b, String name, double real, double sim, String diff) {
        b.append("| ").append(name).append(" | ").append(num(real)).append(" | ").append(num(sim)).append(" | ").append(diff).append(" |\n");
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e12 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String pct(double real, double sim) {
        double r = relative(real, sim);
        return Double.isInfinite(r) ? "n/a" : String.format(Locale.ROOT, "%+.0f %%", 100 * r);
    }
}

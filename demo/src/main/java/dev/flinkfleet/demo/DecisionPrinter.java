package dev.flinkfleet.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoubleFunction;

import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Signals;

/**
 * Prints a line when a job's decision changes (its size or the reason), with the reason in words the first time
 * each reason appears, and keeps what the summary needs: rescales applied, the
 * largest backlog seen, and how long the job spent at each size (sampled once a second by {@link #sample}).
 */
public final class DecisionPrinter implements CycleListener {

    /** One applied rescale. */
    public record Rescale(double atSeconds, int from, int to, String reason) {
    }

    private final PrintStream out;
    private final DoubleFunction<String> clockLabel;
    private volatile long startNanos = System.nanoTime();
    private final List<Rescale> rescales = new ArrayList<>();
    private final Map<Integer, Integer> secondsAtSize = new TreeMap<>();
    private int secondsRestarting;
    private double maxBacklog;
    private int decisions;
    /** What each job's last printed line said (size and reason), to print only changes. */
    private final Map<JobRef, String> lastLine = new HashMap<>();
    /** Reasons already explained in words (each is explained once). */
    private final Set<String> explained = new HashSet<>();
    /** Jobs rescaled whose signals at the new size have not sized them yet. */
    private final Set<JobRef> awaitingNewSize = new HashSet<>();
    /** The "why" lines start under the reason column. */
    private static final int WHY_INDENT = 16;

    /** @param clockLabel extra label for a moment of the demo (e.g. the trace's time of day); may return "" */
    public DecisionPrinter(PrintStream out, DoubleFunction<String> clockLabel) {
        this.out = out;
        this.clockLabel = clockLabel;
    }

    /** Time 0 of the printed lines: call when the traffic starts. */
    public void markStart() {
        startNanos = System.nanoTime();
    }

    @Override
    public synchronized void onJob(JobOutcome o) {
        double t = (System.nanoTime() - startNanos) / 1e9;
        Decision d = o.decision();
        Signals s = o.signals();
        if (s != null && !s.backlog().isMissing()) {
            maxBacklog = Math.max(maxBacklog, s.backlog().value());
        }
        if (d == null) {
            out.printf(Locale.ROOT, "%6.1fs %s  %-8s  no decision: %s%n", t, clockLabel.apply(t), "", o.error());
            lastLine.remove(o.plan().job());
            return;
        }
        decisions++;
        JobRef job = d.job();
        if (d.recommendation().reason() != ReasonCode.HOLD_INSUFFICIENT_SIGNALS) {
            awaitingNewSize.remove(job);
        }
        String workers = d.changes() ? d.currentWorkers() + " -> " + d.targetWorkers() : String.valueOf(d.currentWorkers());
        String notApplied = d.changes() && !o.applied() ? "  (not applied)" : "";
        // A line only when something changed: the same size for the same reason is the previous line again.
        String key = workers + " " + d.reason() + notApplied;
        if (!key.equals(lastLine.put(job, key))) {
            out.printf(Locale.ROOT, "%6.1fs %s  workers %-8s %-28s backlog %8s  input %7s/s%s%n", t, clockLabel.apply(t), workers,
                    d.reason(), fmt(s == null ? null : s.backlog()), fmt(s == null ? null : s.inputRate()), notApplied);
            boolean afterRescale = awaitingNewSize.contains(job);
            // Each reason is explained the first time it appears (after a rescale, insufficient signals is its own case).
            if (explained.add(d.reason() + (afterRescale && d.reason() == ReasonCode.HOLD_INSUFFICIENT_SIGNALS ? "/after-rescale" : ""))) {
                out.printf(Locale.ROOT, "%" + WHY_INDENT + "s%s%n", "", "why: " + ReasonWords.why(d.reason(), afterRescale));
            }
        }
        if (o.applied() && d.changes()) {
            rescales.add(new Rescale(t, d.currentWorkers(), d.targetWorkers(), d.reason().toString()));
            awaitingNewSize.add(job);
        }
    }

    /** Records one second of the job's life: its size, or a restart. */
    public synchronized void sample(int specWorkers, boolean running) {
        if (running) {
            secondsAtSize.merge(specWorkers, 1, Integer::sum);
        } else {
            secondsRestarting++;
        }
    }

    public synchronized List<Rescale> rescales() {
        return List.copyOf(rescales);
    }

    public synchronized int decisions() {
        return decisions;
    }

    public synchronized double maxBacklog() {
        return maxBacklog;
    }

    /** The end-of-run summary. */
    public synchronized void printSummary(Duration ran, long produced, long processed, String processedMeans) {
        long ups = rescales.stream().filter(r -> r.to() > r.from()).count();
        out.println();
        out.printf(Locale.ROOT, "Summary after %ds: %d decisions, %d rescales (%d up, %d down), max backlog %s records%n",
                ran.toSeconds(), decisions, rescales.size(), ups, rescales.size() - ups, fmt(maxBacklog));
        out.printf(Locale.ROOT, "  records produced %d, processed %d (%s)%n", produced, processed, processedMeans);
        StringBuilder sizes = new StringBuilder("  time at each size:");
        secondsAtSize.forEach((w, sec) -> sizes.append(' ').append(w).append(w == 1 ? " worker " : " workers ").append(sec).append("s,"));
        sizes.append(" restarting ").append(secondsRestarting).append('s');
        out.println(sizes);
        if (!secondsAtSize.isEmpty()) {
            double workerSeconds = secondsAtSize.entrySet().stream().mapToDouble(e -> e.getKey() * (double) e.getValue()).sum();
            int seconds = secondsAtSize.values().stream().mapToInt(Integer::intValue).sum();
            out.printf(Locale.ROOT, "  average %.1f workers while running%n", workerSeconds / seconds);
        }
    }

    private static String fmt(Measurement m) {
        return m == null || m.isMissing() ? "-" : fmt(m.value()) + (m.quality() == dev.flinkfleet.policies.Quality.STALE ? "*" : "");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

}

package dev.flinkfleet.demo.fidelity;

import java.util.ArrayList;
import java.util.List;

/**
 * The real job's backlog and latency over time, from what was sampled every half second. Pure.
 *
 * <p>The records the job has processed are its restore position (the group's committed offsets when the tasks
 * started: Flink commits on each completed checkpoint and restores from the last one) plus what the map took in
 * since (its numRecordsIn, which starts from 0 with every new set of tasks). The backlog is the log end minus
 * that; records read by the source but still in network buffers count as backlog, as they have not been
 * processed. The latency is the age of the oldest unprocessed record: now minus the time the log end reached the
 * processed position (record timestamps are produce times).
 */
final class JobTimeline {

    /**
     * One sample.
     *
     * @param t           seconds since the trace began
     * @param parallelism the job's parallelism
     * @param logEnd      Σ log-end offsets of the topic
     * @param committed   Σ the group's committed offsets
     * @param processed   Σ records the map's current tasks took in, NaN while it has none (restarting)
     * @param pending     Σ the source's pendingRecords, NaN when not reported
     */
    record Sample(double t, int parallelism, long logEnd, long committed, double processed, double pending) {

        Sample(double t, int parallelism, long logEnd, long committed, double processed) {
            this(t, parallelism, logEnd, committed, processed, Double.NaN);
        }
    }

    /** The derived figures at one sample; backlog and latency NaN while the job has no tasks to read. */
    record Point(double t, int parallelism, double backlog, double latency) {
    }

    private JobTimeline() {
    }

    static List<Point> derive(List<Sample> samples) {
        double[] restores = restores(samples);
        List<Point> out = new ArrayList<>(samples.size());
        double restore = 0;
        int generation = 0;
        double lastProcessed = Double.NaN;
        int lastParallelism = samples.isEmpty() ? 0 : samples.get(0).parallelism();
        boolean restarted = false;
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (s.parallelism() != lastParallelism || Double.isNaN(s.processed()) && !Double.isNaN(lastProcessed)
                    || s.processed() < lastProcessed) {
                restarted = true;
            }
            lastParallelism = s.parallelism();
            if (Double.isNaN(s.processed())) {
                lastProcessed = Double.NaN;
                out.add(new Point(s.t(), s.parallelism(), Double.NaN, Double.NaN));
                continue;
            }
            if (restarted) {
                // New tasks: they began at the last completed checkpoint's offsets, committed by now.
                restore = restores[++generation];
                restarted = false;
            }
            lastProcessed = s.processed();
            double position = Math.min(s.logEnd(), restore + s.processed());
            out.add(new Point(s.t(), s.parallelism(), s.logEnd() - position, age(samples, i, position)));
        }
        return out;
    }

    /**
     * What the source typically reported as pendingRecords while records waited: the median over the samples with
     * a backlog, at least 1 (it is the lag behind the source's latest fetch: mostly 0, up to a couple of thousand
     * records at times, whatever the backlog; the mean follows those spikes, which the model cannot place);
     * NaN when there is no such sample.
     */
    static double pendingCap(List<Sample> samples, List<Point> points) {
        List<Double> d = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            double pending = samples.get(i).pending();
            double backlog = points.get(i).backlog();
            if (!Double.isNaN(pending) && backlog > 0) {
                d.add(pending);
            }
        }
        if (d.isEmpty()) {
            return Double.NaN;
        }
        d.sort(null);
        int n = d.size();
        return Math.max(1, n % 2 == 1 ? d.get(n / 2) : (d.get(n / 2 - 1) + d.get(n / 2)) / 2);
    }

    /**
     * The restore position of each set of tasks (index 0: the first, from the earliest offsets). The committed
     * offsets when the new tasks are first seen may trail the checkpoint they restored from (its commit can be
     * lost with the old tasks). The new tasks' own commits bound it from below: a checkpoint completes only once
     * the map has processed every record before its barrier, so restore + processed ≥ committed at every later
     * sample. The largest of these.
     */
    static double[] restores(List<Sample> samples) {
        List<Double> out = new ArrayList<>();
        out.add(0.0);
        double lastProcessed = Double.NaN;
        int lastParallelism = samples.isEmpty() ? 0 : samples.get(0).parallelism();
        boolean restarted = false;
        double atStart = 0;
        double bound = Double.NEGATIVE_INFINITY;
        for (Sample s : samples) {
            if (s.parallelism() != lastParallelism || Double.isNaN(s.processed()) && !Double.isNaN(lastProcessed)
                    || s.processed() < lastProcessed) {
                restarted = true;
            }
            lastParallelism = s.parallelism();
            if (Double.isNaN(s.processed())) {
                lastProcessed = Double.NaN;
                continue;
            }
            if (restarted) {
                if (out.size() > 1) {
                    out.set(out.size() - 1, Math.max(atStart, bound));
                }
                out.add((double) s.committed());
                atStart = s.committed();
                bound = Double.NEGATIVE_INFINITY;
                restarted = false;
            } else if (out.size() > 1) {
                bound = Math.max(bound, s.committed() - s.processed());
            }
            lastProcessed = s.processed();
        }
        if (out.size() > 1) {
            out.set(out.size() - 1, Math.max(atStart, bound));
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Seconds since the log end reached {@code position}: the age of the oldest unprocessed record. */
    private static double age(List<Sample> samples, int i, double position) {
        Sample now = samples.get(i);
        if (position >= now.logEnd()) {
            return 0;
        }
        for (int j = i; j > 0; j--) {
            Sample a = samples.get(j - 1);
            Sample b = samples.get(j);
            if (a.logEnd() <= position && position < b.logEnd()) {
                double f = (position - a.logEnd()) / (double) (b.logEnd() - a.logEnd());
                return now.t() - (a.t() + f * (b.t() - a.t()));
            }
        }
        return now.t();
    }
}

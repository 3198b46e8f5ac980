package dev.flinkfleet.simulator.calibrate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Fits job-model values to a real job's history. Pure: the same history always gives the same fits.
 *
 * <ul>
 * <li>{@code per-worker-eps} and {@code scaling-exponent}: a busy job's capacity is its throughput ÷ the busy
 * fraction of its busiest task; over the sizes it ran at, log capacity = log per-worker-eps + exponent × log
 * workers (least squares). Points where the job was not busy enough (the ratio is noise there) or had just
 * restarted (Flink's rates are averaged over about a minute and read 0 at first) are left out.</li>
 * <li>{@code restart-seconds}: at each restart (numRestarts rose or the size changed), how long the job processed
 * nothing, to within one query step.</li>
 * <li>{@code checkpoint-interval-seconds}: running time ÷ checkpoints completed.</li>
 * <li>{@code scrape-interval-seconds} and {@code metrics-delay-seconds}: from the scrape interval (the newest
 * sample a query sees is up to one interval old); derived, not fitted.</li>
 * </ul>
 *
 * @param minBusy        least busy fraction at which throughput ÷ busy is trusted as the capacity
 * @param settleSeconds  time after a restart or size change before the rates are trusted
 * @param minPoints      least trusted points at one size before that size counts
 */
public record ModelFitter(double minBusy, double settleSeconds, int minPoints) {

    /** Busy at half time or more; Flink's rates after a restart need about two meter windows. */
    public static final ModelFitter DEFAULT = new ModelFitter(0.5, 120, 5);

    /** Least checkpoints completed before an interval is fitted. */
    static final int MIN_CHECKPOINTS = 3;

    public ModelFitter {
        if (!(minBusy > 0 && minBusy <= 1)) {
            throw new IllegalArgumentException("min busy must be in (0, 1], got " + minBusy);
        }
        if (!(settleSeconds >= 0)) {
            throw new IllegalArgumentException("settle time must be >= 0, got " + settleSeconds);
        }
        if (minPoints < 2) {
            throw new IllegalArgumentException("min points must be >= 2, got " + minPoints);
        }
    }

    /** Every value this history supports, and why not for the others. */
    public Calibration fit(JobHistory h) {
        List<Fit> fits = new ArrayList<>(capacity(h));
        fits.add(restart(h));
        fits.add(checkpoint(h));
        fits.addAll(scrape(h));
        return new Calibration(h, fits);
    }

    /** per-worker-eps and scaling-exponent. */
    List<Fit> capacity(JobHistory h) {
        TreeMap<Integer, List<Double>> bySize = new TreeMap<>();
        double maxBusy = 0;
        double lastChange = Double.NEGATIVE_INFINITY;
        JobHistory.Point prev = null;
        for (JobHistory.Point p : h.points()) {
            double t = seconds(p);
            if (changed(prev, p)) {
                lastChange = t;
            }
            prev = p;
            if (!p.running() || Double.isNaN(p.busy())) {
                continue;
            }
            maxBusy = Math.max(maxBusy, p.busy());
            if (p.busy() < minBusy || p.throughput() <= 0 || t - lastChange < settleSeconds) {
                continue;
            }
            // A busy fraction a little over 1 is the meter's rounding; the capacity cannot exceed the throughput.
            double busy = Math.min(1, p.busy());
            bySize.computeIfAbsent((int) Math.round(p.workers()), k -> new ArrayList<>()).add(p.throughput() / busy);
        }
        bySize.values().removeIf(l -> l.size() < minPoints);
        if (bySize.isEmpty()) {
            String why = String.format(Locale.ROOT, "the job never ran busy: its busiest task's busy time reached at most %.2f, "
                    + "and a capacity needs %.2f or more at %d points of one size (outside %.0f s after a restart)",
                    maxBusy, minBusy, minPoints, settleSeconds);
            return List.of(Fit.refused("per-worker-eps", why), Fit.refused("scaling-exponent", why));
        }
        int n = bySize.values().stream().mapToInt(List::size).sum();
        if (bySize.size() == 1) {
            int w = bySize.firstKey();
            double[] per = bySize.firstEntry().getValue().stream().mapToDouble(c -> c / w).toArray();
            double median = median(per);
            return List.of(
                    Fit.fitted("per-worker-eps", median, String.format(Locale.ROOT,
                            "median of throughput ÷ busy ÷ workers over %d busy points at %d workers", n, w), spread(per, median)),
                    Fit.refused("scaling-exponent", "the job ran busy at one size only (" + w
                            + " workers); an exponent needs two; per-worker-eps assumes linear scaling"));
        }
        // Least squares on every trusted point: sizes seen longer weigh more.
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (var e : bySize.entrySet()) {
            double x = Math.log(e.getKey());
            for (double c : e.getValue()) {
                double y = Math.log(c);
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
            }
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        double exponent = Math.min(1, slope);
        // With the exponent bounded, the intercept is refitted so the capacity matches on average.
        double intercept = (sy - exponent * sx) / n;
        double perWorker = Math.exp(intercept);
        List<Double> residuals = new ArrayList<>();
        bySize.forEach((w, caps) -> caps.forEach(c -> residuals.add(c / (perWorker * Math.pow(w, exponent)))));
        double[] r = residuals.stream().mapToDouble(Double::doubleValue).toArray();
        String sizes = String.join(", ", bySize.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue().size() + ")").toList());
        List<Fit> out = new ArrayList<>();
        out.add(Fit.fitted("per-worker-eps", perWorker, String.format(Locale.ROOT,
                "log-log least squares of throughput ÷ busy over %d busy points at workers (points) %s", n, sizes), spread(r, 1)));
        if (!(slope > 0)) {
            out.add(Fit.refused("scaling-exponent", String.format(Locale.ROOT,
                    "capacity did not grow with workers (slope %.3f over sizes %s): something else limits the job", slope, sizes)));
        } else {
            out.add(Fit.fitted("scaling-exponent", exponent, String.format(Locale.ROOT,
                    "slope of log capacity over log workers at sizes %s%s", sizes,
                    slope > 1 ? String.format(Locale.ROOT, " was %.3f, above the model's bound, so 1", slope) : ""),
                    spread(r, 1)));
        }
        return out;
    }

    /** restart-seconds: the time with nothing processed around each restart. */
    Fit restart(JobHistory h) {
        List<JobHistory.Point> ps = h.points();
        List<Double> downtimes = new ArrayList<>();
        int idle = 0;
        int lastTo = 0;
        for (int i = 1; i < ps.size(); i++) {
            // The counter rises while the job is down and the size changes when it is back: one restart, once.
            if (i <= lastTo || !restarted(ps, i)) {
                continue;
            }
            double before = throughputBefore(ps, i);
            if (!(before > 0)) {
                idle++;
                continue;
            }
            double floor = before * 0.01;
            int from = i;
            while (from - 1 >= 0 && !processing(ps.get(from - 1), floor)) {
                from--;
            }
            int to = i;
            while (to < ps.size() && !processing(ps.get(to), floor)) {
                to++;
            }
            if (to >= ps.size()) {
                continue; // still down when the history ends
            }
            lastTo = to;
            // The outage began after the last processing point and ended before the next one; a restart shorter
            // than a step shows as no point at all and counts half a step.
            int dark = to - from;
            downtimes.add(dark == 0 ? h.stepSeconds() / 2 : dark * h.stepSeconds());
        }
        if (downtimes.isEmpty()) {
            return Fit.refused("restart-seconds", "no restart of a busy job in the history"
                    + (idle > 0 ? " (" + idle + " restarts of an idle job, which show no outage)" : "")
                    + "; rescale it once under load, or keep the model's default");
        }
        double[] d = downtimes.stream().mapToDouble(Double::doubleValue).toArray();
        double median = median(d);
        return Fit.fitted("restart-seconds", median, String.format(Locale.ROOT,
                "median of %d restarts under load (each to within one %.0f s step; range %.0f–%.0f s)",
                d.length, h.stepSeconds(), Arrays.stream(d).min().orElse(0), Arrays.stream(d).max().orElse(0)),
                median > 0 ? h.stepSeconds() / median : Double.NaN);
    }

    /** checkpoint-interval-seconds: running time ÷ checkpoints completed meanwhile. */
    Fit checkpoint(JobHistory h) {
        List<JobHistory.Point> ps = h.points();
        double time = 0;
        double done = 0;
        for (int i = 1; i < ps.size(); i++) {
            JobHistory.Point a = ps.get(i - 1);
            JobHistory.Point b = ps.get(i);
            if (!a.running() || !b.running() || Double.isNaN(a.completedCheckpoints()) || Double.isNaN(b.completedCheckpoints())
                    || b.completedCheckpoints() < a.completedCheckpoints()) {
                continue; // a reset counter is a new JobManager, not negative checkpoints
            }
            time += seconds(b) - seconds(a);
            done += b.completedCheckpoints() - a.completedCheckpoints();
        }
        if (done < MIN_CHECKPOINTS) {
            return Fit.refused("checkpoint-interval-seconds", String.format(Locale.ROOT,
                    "%.0f checkpoints completed in %.0f s of running; %d needed (is checkpointing on?)", done, time, MIN_CHECKPOINTS));
        }
        return Fit.fitted("checkpoint-interval-seconds", time / done, String.format(Locale.ROOT,
                "%.0f s of running ÷ %.0f checkpoints completed", time, done), 1 / done);
    }

    /** scrape-interval-seconds and metrics-delay-seconds from the measured scrape interval. */
    List<Fit> scrape(JobHistory h) {
        double s = h.scrapeIntervalSeconds();
        if (!(s > 0)) {
            String why = "the scrape interval of the job's metrics is unknown";
            return List.of(Fit.refused("scrape-interval-seconds", why), Fit.refused("metrics-delay-seconds", why));
        }
        return List.of(
                Fit.derived("scrape-interval-seconds", s, String.format(Locale.ROOT, "Prometheus scraped the job every %.1f s", s)),
                Fit.derived("metrics-delay-seconds", s, String.format(Locale.ROOT,
                        "the newest sample a query sees is up to one scrape interval (%.1f s) old", s)));
    }

    private static boolean changed(JobHistory.Point prev, JobHistory.Point p) {
        if (prev == null) {
            return true;
        }
        if (!prev.running() || !p.running()) {
            return true;
        }
        return Math.round(prev.workers()) != Math.round(p.workers())
                || (!Double.isNaN(prev.restarts()) && !Double.isNaN(p.restarts()) && p.restarts() > prev.restarts());
    }

    private static boolean restarted(List<JobHistory.Point> ps, int i) {
        // The last known values before i, so a restart seen across a gap of missing points still counts once.
        double restartsBefore = Double.NaN;
        double workersBefore = Double.NaN;
        for (int j = i - 1; j >= 0 && (Double.isNaN(restartsBefore) || Double.isNaN(workersBefore)); j--) {
            if (Double.isNaN(restartsBefore)) {
                restartsBefore = ps.get(j).restarts();
            }
            if (Double.isNaN(workersBefore)) {
                workersBefore = ps.get(j).workers();
            }
        }
        JobHistory.Point p = ps.get(i);
        boolean counter = !Double.isNaN(p.restarts()) && !Double.isNaN(restartsBefore) && p.restarts() > restartsBefore;
        boolean resized = !Double.isNaN(p.workers()) && !Double.isNaN(workersBefore) && Math.round(p.workers()) != Math.round(workersBefore);
        return counter || resized;
    }

    private static double throughputBefore(List<JobHistory.Point> ps, int i) {
        // The median of the last five points that processed anything before the outage.
        List<Double> seen = new ArrayList<>();
        for (int j = i - 1; j >= 0 && seen.size() < 5; j--) {
            JobHistory.Point p = ps.get(j);
            if (p.running() && p.throughput() > 0) {
                seen.add(p.throughput());
            }
        }
        return seen.isEmpty() ? 0 : median(seen.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static boolean processing(JobHistory.Point p, double floor) {
        return p.running() && p.throughput() > floor;
    }

    private static double seconds(JobHistory.Point p) {
        return p.at().toEpochMilli() / 1000.0;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Median absolute relative deviation from {@code center}. */
    static double spread(double[] v, double center) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = Math.abs(v[i] / center - 1);
        }
        return median(d);
    }
}

package dev.flinkfleet.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.SignalSource;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.policies.signals.BacklogSignals;
import dev.flinkfleet.policies.signals.BacklogSignals.KafkaMeasurements;
import dev.flinkfleet.policies.signals.MetricObservation;
import dev.flinkfleet.policies.signals.OffsetObservation;
import dev.flinkfleet.policies.signals.OffsetSettings;
import dev.flinkfleet.policies.signals.SignalMerger;
import dev.flinkfleet.simulator.model.FluidJob;
import dev.flinkfleet.simulator.model.JobModel;

/**
 * The simulated job as the daemon sees it. It derives nothing itself: it exposes what a real job exposes, and
 * the engine's own derivation ({@link BacklogSignals}, {@link SignalMerger}) turns that into {@link Signals},
 * exactly as the daemon's {@code FleetSignalSource} does.
 * <ul>
 *   <li><b>Kafka</b>, read live at every control cycle: log-end offsets (every event that arrived) and the
 *       consumer group's committed offsets, which move only when a checkpoint completes (every
 *       checkpoint-interval of running time), so the lag saws up between checkpoints.</li>
 *   <li><b>Flink metrics</b>, scraped every scrape interval while the job runs (a restarting job has no task
 *       managers to scrape) and queryable metrics-delay later: the source's records-out rate and the busy
 *       fraction over the rate window (busy saturates at 1 while a backlog is drained), pendingRecords, and the
 *       sink watermark, whose lag the query computes at evaluation time. Backlog growth is the least-squares
 *       slope of the scraped pendingRecords over the growth window, as PromQL's {@code deriv}; the input rate is
 *       records-out plus that slope, as the daemon's query.</li>
 * </ul>
 * Per model step {@link #record} writes five primitives into a ring buffer and tracks the checkpoint; the
 * observations are assembled, and Signals derived, only when the control loop asks.
 */
public final class SimulatedSignalSource implements SignalSource {

    /** Prometheus's default lookback delta: an instant query sees no series whose newest sample is older. */
    static final double LOOKBACK_SECONDS = 300;
    private static final long KAFKA_SALT = 0x6b61666b61L;

    /** One control cycle's raw observations, as the daemon's readers would have returned them. */
    public record Observations(OffsetObservation offsets, MetricObservation metrics) {
    }

    private final JobRef job;
    private final FluidJob fluid;
    private final JobModel model;
    private final int delaySteps;
    private final int windowSteps;
    private final int growthSteps;
    private final int scrapeSteps;
    private final int lookbackSteps;
    private final double dt;
    private final long seed;
    private final int size;
    private final double[] processed;
    private final double[] capacity;
    private final double[] up;
    private final double[] backlog;
    private final double[] latency;
    private final BacklogSignals offsets;
    private long samples;
    /** Ring index of the next sample: {@code samples % size}, kept without a division per step. */
    private int cursor;

    // Checkpointing: committed offsets move only when one completes.
    private double lastUp;
    private double sinceCheckpoint;
    private long committed;

    // Flink's meters start from zero with new tasks (meters-restart-with-tasks): the sample the tasks started at.
    private int seenRescales;
    private boolean tasksPending;
    private long tasksStarted = -1;

    /** Call {@link #record} after every model step; a control cycle's {@code now} is the newest sample's time. */
    public SimulatedSignalSource(JobRef job, FluidJob fluid, double dtSeconds, int delaySteps, int windowSteps, int growthSteps) {
        this.job = job;
        this.fluid = fluid;
        this.model = fluid.model();
        this.dt = dtSeconds;
        this.delaySteps = delaySteps;
        this.windowSteps = windowSteps;
        this.growthSteps = growthSteps;
        this.scrapeSteps = (int) Math.max(1, Math.round(model.scrapeIntervalSeconds() / dtSeconds));
        this.lookbackSteps = (int) Math.max(1, Math.floor(LOOKBACK_SECONDS / dtSeconds));
        this.seed = mix(job.toString().hashCode());
        this.size = Math.max(delaySteps, lookbackSteps) + Math.max(windowSteps, growthSteps) + scrapeSteps + 2;
        this.processed = new double[size];
        this.capacity = new double[size];
        this.up = new double[size];
        this.backlog = new double[size];
        this.latency = new double[size];
        this.offsets = new BacklogSignals(offsetSettings(model));
        // The job's checkpoints run on their own timer, in no fixed phase with the control loop's reads.
        this.sinceCheckpoint = (seed >>> 11) * 0x1.0p-53 * model.checkpointIntervalSeconds();
        record();
    }

    /** The daemon's kafka.* settings for this job model: enough history for two commit points a growth window apart. */
    public static OffsetSettings offsetSettings(JobModel m) {
        double span = 2 * m.growthWindowSeconds() + m.checkpointIntervalSeconds();
        int history = (int) Math.min(100_000, Math.max(3, Math.ceil(span / m.controlIntervalSeconds()) + 2));
        return new OffsetSettings(Duration.ofMillis(Math.round(m.signalWindowSeconds() * 1000)),
                Duration.ofMillis(Math.round(m.growthWindowSeconds() * 1000)), history,
                Duration.ofMillis(Math.round(m.kafkaStaleAfterSeconds() * 1000)));
    }

    /** Samples the job's counters and completes due checkpoints; call once at the start and after every step. */
    public void record() {
        int i = cursor;
        cursor = i + 1 == size ? 0 : i + 1;
        double upNow = fluid.cumUpSeconds();
        processed[i] = fluid.cumProcessed();
        capacity[i] = fluid.cumCapacity();
        up[i] = upNow;
        backlog[i] = fluid.backlog();
        latency[i] = fluid.lastLatency();
        samples++;

        double ran = upNow - lastUp;
        lastUp = upNow;
        if (fluid.rescales() != seenRescales) {
            seenRescales = fluid.rescales();
            tasksPending = true;
        }
        if (tasksPending && ran > 0) {
            // They started within the step this sample ends: their counts run from the sample before it.
            tasksStarted = samples - 2;
            tasksPending = false;
        }
        if (samples == 1) {
            return; // the first sample: nothing ran yet
        }
        // The checkpoint timer restarts with the job: a step that was partly down counts only its running part.
        sinceCheckpoint = ran < dt ? ran : sinceCheckpoint + ran;
        if (ran > 0 && sinceCheckpoint >= model.checkpointIntervalSeconds()) {
            // Offsets are whole records; the restored position never moves the commit back.
            long position = (long) (fluid.cumArrivals() - fluid.backlog());
            committed = Math.max(committed, position);
            sinceCheckpoint = model.checkpointIntervalSeconds() > 0 ? sinceCheckpoint - model.checkpointIntervalSeconds() : 0;
        }
    }

    @Override
    public Map<JobRef, Signals> collect(Collection<JobRef> jobs, Instant now) {
        return Map.of(job, current(now));
    }

    /** The signals the daemon would derive now: this cycle's observations through the engine's derivation. */
    public Signals current(Instant now) {
        return derive(offsetObservation(now), metricObservation(now), now);
    }

    /** Feeds one cycle's observations to the engine's derivation (history included) and merges them. */
    private Signals derive(OffsetObservation offsetsRead, MetricObservation metrics, Instant now) {
        KafkaMeasurements kafka = offsets.update(offsetsRead, now);
        return SignalMerger.merge(job, fluid.workers(), Math.min(fluid.workers(), model.maxParallelism()), kafka, metrics, now);
    }

    /** What a Kafka read and a Prometheus query would return now; repeatable (no state changes). */
    public Observations observe(Instant now) {
        return new Observations(offsetObservation(now), metricObservation(now));
    }

    private OffsetObservation offsetObservation(Instant now) {
        if (lost(seed ^ KAFKA_SALT, now.getEpochSecond())) {
            return OffsetObservation.failed(job, now, "simulated: Kafka read lost");
        }
        long end = (long) fluid.cumArrivals();
        return OffsetObservation.ofTotals(job, now, model.maxParallelism(), end, Math.min(committed, end));
    }

    private MetricObservation metricObservation(Instant now) {
        double nowSeconds = now.toEpochMilli() / 1000.0;
        double staleAfter = model.metricsStaleAfterSeconds();
        long newest = samples - 1;
        long k = newestScrape(newest);
        if (k < 0) {
            return new MetricObservation(nowSeconds, staleAfter, null, null, null, null, null, null);
        }
        double ts = nowSeconds - (newest - k) * dt;
        int s = (int) (k % size);
        MetricObservation.Sample pending = new MetricObservation.Sample(pendingRecords(backlog[s]), ts);
        // The sink's watermark trails event time by the latency; the query subtracts it from its evaluation time.
        MetricObservation.Sample watermark = new MetricObservation.Sample(latency[s] + (nowSeconds - ts), ts);
        long from = Math.max(Math.max(0, k - windowSteps), samples - size);
        MetricObservation.Sample out = null;
        MetricObservation.Sample busy = null;
        if (model.metersRestartWithTasks()) {
            // Flink's meters: what the current tasks did within the window, over the whole window.
            long start = tasksStarted > from && tasksStarted <= k ? tasksStarted : from;
            int f = (int) (start % size);
            double window = windowSteps * dt;
            double done = processed[s] - processed[f];
            double cap = capacity[s] - capacity[f];
            double upSeconds = up[s] - up[f];
            out = new MetricObservation.Sample(done / window, ts);
            // Busy time is reported as 1000 ms − idle − back-pressured, idle being a meter of its own: new tasks
            // read busy until idle time has accumulated over a window.
            double idle = upSeconds - (cap > 0 ? done / cap * upSeconds : 0);
            busy = new MetricObservation.Sample(Math.max(0, 1 - idle / window), ts);
        } else if (from < k) {
            int f = (int) (from % size);
            // Meters of running task managers only: a window that was partly restart covers its running part.
            double upSeconds = up[s] - up[f];
            double done = processed[s] - processed[f];
            double cap = capacity[s] - capacity[f];
            out = new MetricObservation.Sample(upSeconds > 0 ? done / upSeconds : Double.NaN, ts);
            busy = new MetricObservation.Sample(cap > 0 ? done / cap : Double.NaN, ts);
        }
        double slope = pendingSlope(k);
        MetricObservation.Sample growth = Double.isNaN(slope) ? null : new MetricObservation.Sample(slope, ts);
        MetricObservation.Sample input = out == null || growth == null ? null : new MetricObservation.Sample(out.value() + slope, ts);
        return new MetricObservation(nowSeconds, staleAfter, out, busy, watermark, pending, growth, input);
    }

    /** The newest sample a query sees: scraped (job running, scrape not lost), metrics-delay old, within lookback. */
    private long newestScrape(long newest) {
        long oldest = Math.max(0, Math.max(newest - lookbackSteps, samples - size));
        long k = newest - delaySteps;
        k -= Math.floorMod(k, scrapeSteps);
        if (k < oldest) {
            return -1;
        }
        int i = (int) (k % size);
        for (; k >= oldest; k -= scrapeSteps) {
            if (scraped(k, i)) {
                return k;
            }
            i = back(i);
        }
        return -1;
    }

    /** Whether sample {@code k} (at ring index {@code i}) was scraped: the job ran in its step and it was not lost. */
    private boolean scraped(long k, int i) {
        if (k > 0 && up[i] - up[i == 0 ? size - 1 : i - 1] <= 0) {
            return false; // restarting: no task manager to scrape
        }
        return !lost(seed, k);
    }

    /** The ring index one scrape interval before {@code i}. */
    private int back(int i) {
        int j = i - scrapeSteps;
        return j < 0 ? j + size : j;
    }

    /** Least-squares slope of the scraped pendingRecords in the growth window ending at {@code k}; NaN below 2 points. */
    private double pendingSlope(long k) {
        long oldest = Math.max(Math.max(0, k - growthSteps), samples - size);
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        int i = (int) (k % size);
        for (long j = k; j >= oldest; j -= scrapeSteps, i = back(i)) {
            if (!scraped(j, i)) {
                continue;
            }
            double x = (j - k) * dt;
            double y = pendingRecords(backlog[i]);
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double d = n * sxx - sx * sx;
        return n < 2 || d == 0 ? Double.NaN : (n * sxy - sx * sy) / d;
    }

    /** The source's pendingRecords at a backlog: the lag behind its latest fetch, at most the model's cap. */
    private double pendingRecords(double backlogRecords) {
        double cap = model.pendingRecordsCap();
        return cap > 0 ? Math.min(backlogRecords, cap) : backlogRecords;
    }

    /** Whether the sample or read keyed {@code key} is lost, by a hash: repeatable, about the configured fraction. */
    private boolean lost(long stream, long key) {
        double p = model.lostSampleFraction();
        if (p <= 0) {
            return false;
        }
        return (mix(stream + key * 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53 < p;
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The engine's offset derivation this source feeds (the daemon's is the same class). */
    public BacklogSignals offsetDerivation() {
        return offsets;
    }
}

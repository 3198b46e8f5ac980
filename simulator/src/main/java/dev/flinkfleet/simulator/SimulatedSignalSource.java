package dev.flinkfleet.simulator;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.SignalSource;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.simulator.model.FluidJob;

/**
 * Signals for one simulated job, derived as the daemon derives them: rates are differences of counters (Kafka
 * log-end offset, records-processed counter, busy time) over a window, lag is read directly, and everything is
 * {@code metrics-delay} old. Counters go into a ring buffer of primitive arrays after every step.
 */
public final class SimulatedSignalSource implements SignalSource {

    private final JobRef job;
    private final FluidJob fluid;
    private final int delaySteps;
    private final int windowSteps;
    private final int growthSteps;
    private final double dt;
    private final int size;
    private final double[] arrivals;
    private final double[] processed;
    private final double[] capacity;
    private final double[] up;
    private final double[] backlog;
    private final double[] latency;
    private long samples;

    public SimulatedSignalSource(JobRef job, FluidJob fluid, double dtSeconds, int delaySteps, int windowSteps, int growthSteps) {
        this.job = job;
        this.fluid = fluid;
        this.dt = dtSeconds;
        this.delaySteps = delaySteps;
        this.windowSteps = windowSteps;
        this.growthSteps = growthSteps;
        this.size = delaySteps + Math.max(windowSteps, growthSteps) + 2;
        this.arrivals = new double[size];
        this.processed = new double[size];
        this.capacity = new double[size];
        this.up = new double[size];
        this.backlog = new double[size];
        this.latency = new double[size];
        record();
    }

    /** Samples the job's counters; call once at the start and after every step. */
    public void record() {
        int i = (int) (samples % size);
        arrivals[i] = fluid.cumArrivals();
        processed[i] = fluid.cumProcessed();
        capacity[i] = fluid.cumCapacity();
        up[i] = fluid.cumUpSeconds();
        backlog[i] = fluid.backlog();
        latency[i] = fluid.lastLatency();
        samples++;
    }

    @Override
    public Map<JobRef, Signals> collect(Collection<JobRef> jobs, Instant now) {
        return Map.of(job, current(now));
    }

    /**
     * The signals visible now: the newest sample that is metrics-delay old; rates over the rate window before it,
     * backlog growth over the growth window (shorter at the very start of a replay, as a fresh daemon would).
     */
    public Signals current(Instant now) {
        Signals.Builder b = Signals.builder(job, now)
                .workers(fluid.workers())
                .parallelism(Math.min(fluid.workers(), fluid.model().maxParallelism()))
                .maxParallelism(fluid.model().maxParallelism());
        long newest = samples - 1;
        long seen = newest - delaySteps;
        if (seen < 0) {
            return b.build();
        }
        long from = Math.max(0, seen - windowSteps);
        double age = delaySteps * dt;
        int s = (int) (seen % size);
        double lag = backlog[s];
        b.set(SignalKind.BACKLOG, m(SignalKind.BACKLOG, lag, age));
        b.set(SignalKind.WATERMARK_LAG, m(SignalKind.WATERMARK_LAG, latency[s], age));
        if (from < seen) {
            int f = (int) (from % size);
            double span = (seen - from) * dt;
            double in = (arrivals[s] - arrivals[f]) / span;
            // Throughput and CPU are job metrics (Prometheus): only running task managers report them, so they
            // cover the running part of the window; a window that was all restart has neither.
            double upSeconds = up[s] - up[f];
            double done = processed[s] - processed[f];
            double out = upSeconds > 0 ? done / upSeconds : Double.NaN;
            double cap = capacity[s] - capacity[f];
            b.set(SignalKind.INPUT_RATE, m(SignalKind.INPUT_RATE, in, age));
            b.set(SignalKind.THROUGHPUT, m(SignalKind.THROUGHPUT, out, age));
            long gFrom = Math.max(0, seen - growthSteps);
            double growth = (lag - backlog[(int) (gFrom % size)]) / ((seen - gFrom) * dt);
            b.set(SignalKind.BACKLOG_GROWTH, m(SignalKind.BACKLOG_GROWTH, growth, age));
            // A job that processed nothing while holding a backlog has no defined backlog time: missing, never 0.
            double bt = out > 0 ? lag / out : (lag == 0 && upSeconds > 0 ? 0 : Double.NaN);
            b.set(SignalKind.BACKLOG_TIME, m(SignalKind.BACKLOG_TIME, bt, age));
            double cpu = cap > 0 ? Math.min(1.0, done / cap) : Double.NaN;
            b.set(SignalKind.CPU, m(SignalKind.CPU, cpu, age));
        }
        return b.build();
    }

    private static Measurement m(SignalKind k, double v, double age) {
        return Measurement.of(k, v, age, Double.POSITIVE_INFINITY);
    }
}

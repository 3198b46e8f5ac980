package dev.flinkfleet.simulator.model;

/**
 * A fluid queue model of one Flink job reading Kafka. Each step of {@code dt} seconds: input arrives, up to
 * capacity × (time not restarting) is processed, the rest waits as backlog. A rescale stops processing for
 * restart-seconds and replays half a checkpoint interval of input. Primitive fields only: {@link #step} never
 * allocates.
 */
public final class FluidJob {

    private final JobModel model;
    private final double dt;
    private final LatencyHistogram latencies = new LatencyHistogram();

    private int workers;
    private double capacity;
    private double backlog;
    private double downRemaining;
    private double sinceStop;
    private double backlogAtStop;
    private double capacityAtStop;
    private double lastRate;
    private double lastLatency;
    private double lastCapacityEps;

    // Counters, as Kafka offsets and Prometheus counters would expose them.
    private double cumArrivals;
    private double cumProcessed;
    private double cumCapacity;
    private double cumUpSeconds;

    // Accounting.
    private double vcpuSeconds;
    private double slaSeconds;
    private double downtimeSeconds;
    private double maxBacklog;
    private int rescales;

    public FluidJob(JobModel model, double dtSeconds, int initialWorkers) {
        if (initialWorkers < 1) {
            throw new IllegalArgumentException("initial workers must be >= 1, got " + initialWorkers);
        }
        this.model = model;
        this.dt = dtSeconds;
        this.workers = initialWorkers;
        this.capacity = model.capacity(initialWorkers);
        this.lastLatency = model.baseLatencySeconds();
    }

    /** Advances one step at an input rate of {@code rateEps} events per second. */
    public void step(double rateEps) {
        lastRate = rateEps;
        double arrivals = rateEps * dt;
        double down = Math.min(downRemaining, dt);
        downRemaining -= down;
        downtimeSeconds += down;
        double capStep = capacity * (dt - down);
        double available = backlog + arrivals;
        double processed = Math.min(available, capStep);
        backlog = available - processed;
        cumArrivals += arrivals;
        cumProcessed += processed;
        cumCapacity += capStep;
        cumUpSeconds += dt - down;
        lastCapacityEps = capStep / dt;
        vcpuSeconds += workers * model.vcpuPerWorker() * dt;

        double latency;
        if (downRemaining > 0) {
            // Still restarting: the oldest waiting event has waited since before the stop, and keeps waiting.
            sinceStop += dt;
            latency = model.baseLatencySeconds() + backlogAtStop / capacityAtStop + sinceStop;
        } else {
            latency = model.baseLatencySeconds() + (backlog > 0 ? backlog / capacity : 0);
        }
        lastLatency = latency;
        if (latency > model.slaLatencySeconds()) {
            slaSeconds += dt;
        }
        latencies.add(latency, dt);
        if (backlog > maxBacklog) {
            maxBacklog = backlog;
        }
    }

    /** Rescales to {@code to} workers: downtime plus replay of half a checkpoint interval of input. */
    public void rescale(int to) {
        if (to < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + to);
        }
        if (to == workers) {
            return;
        }
        rescales++;
        if (downRemaining <= 0) {
            backlogAtStop = backlog;
            capacityAtStop = capacity;
            sinceStop = 0;
        }
        downRemaining = model.restartSeconds();
        backlog += lastRate * model.checkpointIntervalSeconds() / 2;
        workers = to;
        capacity = model.capacity(to);
    }

    /**
     * Takes {@code other}'s state (size, backlog, restart in progress, last rate), not its accounting, so that a
     * planner can run a what-if forward on a scratch job with the model's own arithmetic. Both must share the
     * model and step.
     */
    public void copyStateFrom(FluidJob other) {
        if (other.model != model || other.dt != dt) {
            throw new IllegalArgumentException("a what-if copy needs the same job model and step");
        }
        workers = other.workers;
        capacity = other.capacity;
        backlog = other.backlog;
        downRemaining = other.downRemaining;
        sinceStop = other.sinceStop;
        backlogAtStop = other.backlogAtStop;
        capacityAtStop = other.capacityAtStop;
        lastRate = other.lastRate;
        lastLatency = other.lastLatency;
        lastCapacityEps = other.lastCapacityEps;
    }

    public JobModel model() {
        return model;
    }

    public int workers() {
        return workers;
    }

    public double backlog() {
        return backlog;
    }

    public boolean restarting() {
        return downRemaining > 0;
    }

    public double capacityEps() {
        return capacity;
    }

    /** Capacity actually available during the last step (0 while restarting), events per second. */
    public double lastCapacityEps() {
        return lastCapacityEps;
    }

    public double lastRate() {
        return lastRate;
    }

    public double lastLatency() {
        return lastLatency;
    }

    public double cumArrivals() {
        return cumArrivals;
    }

    public double cumProcessed() {
        return cumProcessed;
    }

    public double cumCapacity() {
        return cumCapacity;
    }

    /** Seconds the job has been processing (not restarting). */
    public double cumUpSeconds() {
        return cumUpSeconds;
    }

    public double vcpuSeconds() {
        return vcpuSeconds;
    }

    public double slaSeconds() {
        return slaSeconds;
    }

    public double downtimeSeconds() {
        return downtimeSeconds;
    }

    public double maxBacklog() {
        return maxBacklog;
    }

    public int rescales() {
        return rescales;
    }

    public LatencyHistogram latencies() {
        return latencies;
    }
}

package dev.flinkfleet.simulator.operator;

import dev.flinkfleet.simulator.model.FluidJob;

/**
 * The simulated job's counters at one instant, from which every Flink metric the library reads is derived.
 *
 * @param processed records processed since the trace began
 * @param upSeconds seconds the job has been processing (not restarting) since the trace began
 * @param backlog   records waiting in Kafka (the source's pendingRecords)
 */
record JobCounters(double processed, double upSeconds, double backlog) {

    static JobCounters of(FluidJob job) {
        return new JobCounters(job.cumProcessed(), job.cumUpSeconds(), job.backlog());
    }
}

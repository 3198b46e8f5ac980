package dev.flinkfleet.autoscaler.daemon;

import java.util.Objects;

import dev.flinkfleet.autoscaler.kafka.GroupBinding;
import dev.flinkfleet.policies.JobRef;

/**
 * Where one job's signals come from and how big it is now.
 *
 * @param job          the job
 * @param kafkaCluster name of the Kafka cluster in the daemon config; null when the job's backlog is not read
 *                     from Kafka
 * @param group        consumer group and topics; null together with {@code kafkaCluster}
 * @param promJob      value of the job label on the job's Prometheus series; null when not read from Prometheus
 * @param workers      TaskManager replicas now
 * @param parallelism  job parallelism now
 */
public record JobWiring(JobRef job, String kafkaCluster, GroupBinding group, String promJob, int workers, int parallelism) {

    public JobWiring {
        Objects.requireNonNull(job, "job");
        if ((kafkaCluster == null) != (group == null)) {
            throw new IllegalArgumentException(job + ": a Kafka cluster needs a consumer group binding and vice versa");
        }
    }
}

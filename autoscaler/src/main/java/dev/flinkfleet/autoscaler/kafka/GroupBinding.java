package dev.flinkfleet.autoscaler.kafka;

import java.util.List;
import java.util.Objects;

/**
 * Where one job reads from: the consumer group its Kafka source commits to, and the topics it consumes.
 *
 * @param groupId the consumer group id (Flink's {@code group.id} for the KafkaSource)
 * @param topics  the topics the job reads, at least one
 */
public record GroupBinding(String groupId, List<String> topics) {

    public GroupBinding {
        Objects.requireNonNull(groupId, "groupId");
        if (groupId.isBlank()) {
            throw new IllegalArgumentException("consumer group id must not be blank");
        }
        topics = List.copyOf(Objects.requireNonNull(topics, "topics"));
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("group '" + groupId + "' needs at least one topic");
        }
        for (String t : topics) {
            if (t.isBlank()) {
                throw new IllegalArgumentException("group '" + groupId + "' has a blank topic name");
            }
        }
        if (topics.stream().distinct().count() != topics.size()) {
            throw new IllegalArgumentException("group '" + groupId + "' lists a topic twice: " + topics);
        }
    }

    public static GroupBinding of(String groupId, String... topics) {
        return new GroupBinding(groupId, List.of(topics));
    }
}

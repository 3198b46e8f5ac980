package dev.flinkfleet.autoscaler.kafka;

/**
 * No broker of a cluster answered any call of one read: it timed out, refused the connection or could not
 * authenticate. Distinct from a topic or group error, which the broker answered and which fails only the jobs
 * that use it.
 */
public final class KafkaUnreachableException extends RuntimeException {

    private final boolean deadlineSpent;

    /**
     * @param deadlineSpent true when the read waited out its deadline, so retrying within the same cycle is pointless
     */
    public KafkaUnreachableException(String message, Throwable cause, boolean deadlineSpent) {
        super(message, cause);
        this.deadlineSpent = deadlineSpent;
    }

    public boolean deadlineSpent() {
        return deadlineSpent;
    }
}

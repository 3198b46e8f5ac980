package dev.flinkfleet.autoscaler.record;

/**
 * Input a trace cannot be recorded from (an unknown topic, a range beyond retention, a query with several
 * series, an unreachable backend). The message is one line, says what to change, and holds no credential.
 */
public final class RecordException extends RuntimeException {

    public RecordException(String message) {
        super(message);
    }

    public RecordException(String message, Throwable cause) {
        super(message, cause);
    }
}

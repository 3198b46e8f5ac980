package dev.flinkfleet.autoscaler.flinkrest;

/**
 * A Flink REST call that did not succeed. The message always names the endpoint (its URL with any password
 * masked), so a hold caused by it tells the user which cluster to look at.
 */
public final class FlinkRestException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong, as far as the caller needs to tell cases apart. */
    public enum Kind {
        /** No connection or no answer in time. */
        UNREACHABLE,
        /** HTTP 404: the job (or the endpoint path) does not exist there. */
        NOT_FOUND,
        /** HTTP 409: the JobManager refuses because of the job's current state. */
        CONFLICT,
        /** HTTP 503: the JobManager is not serving (leader change, starting up). */
        UNAVAILABLE,
        /** Any other non-2xx answer, e.g. a scheduler that does not support resource requirements. */
        REFUSED,
        /** A 2xx answer this client cannot read. */
        BAD_RESPONSE
    }

    private final Kind kind;
    private final int status;

    public FlinkRestException(Kind kind, int status, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, 0 when there was no answer. */
    public int status() {
        return status;
    }
}

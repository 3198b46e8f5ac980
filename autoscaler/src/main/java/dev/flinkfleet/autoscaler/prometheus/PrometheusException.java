package dev.flinkfleet.autoscaler.prometheus;

import dev.flinkfleet.autoscaler.config.Secrets;

/**
 * A query that did not produce a result. Always names the query and, when the server said why, its message,
 * so a log line is enough to reproduce the problem with curl.
 */
public final class PrometheusException extends RuntimeException {

    /** What went wrong, for callers that react differently (e.g. back off on timeouts only). */
    public enum Kind {
        /** The server answered with a non-2xx HTTP status. */
        HTTP_STATUS,
        /** The server answered {@code "status": "error"} (bad PromQL, query timeout on the server, ...). */
        API_ERROR,
        /** No answer within the configured timeout. */
        TIMEOUT,
        /** The answer was not the JSON shape the HTTP API documents. */
        MALFORMED_RESPONSE,
        /** Connection refused, reset, token file unreadable, ... */
        IO
    }

    private final Kind kind;
    private final String query;
    private final int httpStatus;
    private final String serverMessage;

    public PrometheusException(Kind kind, String query, int httpStatus, String serverMessage, Throwable cause) {
        super(describe(kind, query, httpStatus, Secrets.maskSecrets(serverMessage)), cause);
        this.kind = kind;
        this.query = query;
        this.httpStatus = httpStatus;
        // Server and library messages may carry a URL with its password or an echoed Authorization header.
        this.serverMessage = serverMessage == null ? "" : Secrets.maskSecrets(serverMessage);
    }

    public PrometheusException(Kind kind, String query, String serverMessage) {
        this(kind, query, 0, serverMessage, null);
    }

    private static String describe(Kind kind, String query, int httpStatus, String serverMessage) {
        StringBuilder sb = new StringBuilder("Prometheus query failed (").append(kind);
        if (httpStatus > 0) {
            sb.append(", HTTP ").append(httpStatus);
        }
        sb.append("): ");
        sb.append(serverMessage == null || serverMessage.isBlank() ? "no message" : serverMessage);
        sb.append(" -- query: ").append(query);
        return sb.toString();
    }

    public Kind kind() {
        return kind;
    }

    /** The PromQL text that was sent. */
    public String query() {
        return query;
    }

    /** The HTTP status, or 0 when there was no HTTP answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The server's own explanation ({@code errorType: error}), or what we could tell about the failure. */
    public String serverMessage() {
        return serverMessage;
    }
}

package dev.flinkfleet.autoscaler.daemon;

/**
 * Why a job gets per-job series on {@code /metrics} although the fleet is exported in aggregate: the causes an
 * operator or an alert looks at one job for. Declared most urgent first; when more jobs need attention than
 * may be exported, the most urgent cause wins.
 */
public enum JobAttention {
    /** Deciding or actuating failed, or the job is held for an unsafe state. */
    ERROR("error"),
    /** Watermark latency above the application's SLA. */
    OVER_SLA("over_sla"),
    /** Backlog grows while the job runs at its application's maximum workers. */
    BACKLOG_GROWING_AT_MAX("backlog_growing_at_max"),
    /** The policy's signals are stale or missing. */
    SIGNALS_NOT_FRESH("signals_not_fresh"),
    /** Rescaled within {@code flinkfleet.daemon.metrics.recently-rescaled}. */
    RECENTLY_RESCALED("recently_rescaled"),
    /** Not in need of attention; exported only with {@code per-job = all}. */
    NONE("none");

    private final String label;

    JobAttention(String label) {
        this.label = label;
    }

    /** The value of the {@code cause} label. */
    public String label() {
        return label;
    }
}

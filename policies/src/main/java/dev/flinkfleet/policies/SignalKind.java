package dev.flinkfleet.policies;

/** The signals a policy may need. {@code signed} ones may legitimately be negative. */
public enum SignalKind {
    /** Events arriving per second (Kafka log-end offset rate). */
    INPUT_RATE("input-rate", false),
    /** Events processed per second by the job. */
    THROUGHPUT("throughput", false),
    /** Records waiting in Kafka (consumer lag). */
    BACKLOG("backlog", false),
    /** d(backlog)/dt in records per second; negative while draining. */
    BACKLOG_GROWTH("backlog-growth", true),
    /** backlog / throughput, seconds. */
    BACKLOG_TIME("backlog-time", false),
    /** Busy fraction of a worker, 0..1 (values slightly above 1 are clamped by the source). */
    CPU("cpu", false),
    /** Event-time (watermark) latency, seconds. */
    WATERMARK_LAG("watermark-lag", false);

    private final String key;
    private final boolean signed;

    SignalKind(String key, boolean signed) {
        this.key = key;
        this.signed = signed;
    }

    /** Name used in config, CLI and logs. */
    public String key() {
        return key;
    }

    public boolean signed() {
        return signed;
    }

    public static SignalKind fromKey(String key) {
        for (SignalKind k : values()) {
            if (k.key.equals(key)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown signal '" + key + "'; known: " + java.util.Arrays.stream(values()).map(SignalKind::key).toList());
    }
}

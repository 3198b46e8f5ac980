package dev.flinkfleet.policies;

/** How far a signal can be trusted. */
public enum Quality {
    /** Measured recently enough to act on in either direction. */
    FRESH,
    /** Measured, but older than the source's freshness bound: good enough to scale up, never to scale down. */
    STALE,
    /** Not measured, or the measurement was unusable (NaN, infinite, out of range). */
    MISSING
}

package dev.flinkfleet.autoscaler.prometheus;

/**
 * One value as Prometheus returned it. The value is kept raw (it may be NaN or infinite); turning it into a
 * usable measurement is the reader's job, so the parser never hides what the server said.
 *
 * @param value            the value, possibly NaN or ±Inf
 * @param timestampSeconds Unix time in seconds (fractional)
 */
public record Sample(double value, double timestampSeconds) {
}

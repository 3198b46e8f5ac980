package dev.flinkfleet.demo;

/** Records per second to produce at each moment of the demo. */
@FunctionalInterface
public interface RateSchedule {

    /** The rate {@code seconds} after the demo started (>= 0). */
    double rateAt(double seconds);

    /** A step function: {@code rates[i]} from {@code times[i]} seconds until the next time (the first from 0). */
    static RateSchedule steps(double[] times, double[] rates) {
        if (times.length != rates.length || times.length == 0) {
            throw new IllegalArgumentException("steps need as many times as rates, at least one");
        }
        double[] t = times.clone();
        double[] r = rates.clone();
        return seconds -> {
            double rate = r[0];
            for (int i = 0; i < t.length && t[i] <= seconds; i++) {
                rate = r[i];
            }
            return rate;
        };
    }
}

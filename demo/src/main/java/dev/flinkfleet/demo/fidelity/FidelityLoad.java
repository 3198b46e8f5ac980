package dev.flinkfleet.demo.fidelity;

import java.util.Arrays;

import dev.flinkfleet.demo.RateSchedule;

/**
 * The traffic of a fidelity run: a rate that moves linearly between knots (seconds, records/s), so a ramp and
 * a burst are two lines of data. Scaled so one subtask's capacity (1 ÷ CPU cost per record) is a few hundred
 * records/s and the job needs 1 → 4+ workers.
 *
 * @param name    shown in the table
 * @param seconds knot times, increasing, the first 0
 * @param rates   records/s at each knot
 */
public record FidelityLoad(String name, double[] seconds, double[] rates) implements RateSchedule {

    public FidelityLoad {
        if (seconds.length != rates.length || seconds.length < 2 || seconds[0] != 0) {
            throw new IllegalArgumentException("a load needs two or more knots, the first at 0 s");
        }
        for (int i = 1; i < seconds.length; i++) {
            if (!(seconds[i] > seconds[i - 1])) {
                throw new IllegalArgumentException("knot times must increase, got " + Arrays.toString(seconds));
            }
        }
        seconds = seconds.clone();
        rates = rates.clone();
    }

    /** About 4 minutes: a quiet start, a ramp to 3 workers' worth, a burst needing 5, and a long quiet tail. */
    public static FidelityLoad full() {
        return new FidelityLoad("ramp+burst 240 s",
                new double[] {0, 20, 80, 100, 105, 135, 140, 240},
                new double[] {150, 150, 1000, 1000, 1700, 1700, 300, 300});
    }

    /** About 2½ minutes, for the test: the same shape, compressed. */
    public static FidelityLoad quick() {
        return new FidelityLoad("ramp+burst 150 s",
                new double[] {0, 10, 50, 60, 63, 83, 86, 150},
                new double[] {150, 150, 1000, 1000, 1700, 1700, 300, 300});
    }

    public double durationSeconds() {
        return seconds[seconds.length - 1];
    }

    @Override
    public double rateAt(double t) {
        if (t <= 0) {
            return rates[0];
        }
        for (int i = 1; i < seconds.length; i++) {
            if (t <= seconds[i]) {
                double f = (t - seconds[i - 1]) / (seconds[i] - seconds[i - 1]);
                return rates[i - 1] + f * (rates[i] - rates[i - 1]);
            }
        }
        return rates[rates.length - 1];
    }

    /** Records the trace holds in all. */
    public double totalRecords() {
        double sum = 0;
        for (int i = 1; i < seconds.length; i++) {
            sum += (rates[i] + rates[i - 1]) / 2 * (seconds[i] - seconds[i - 1]);
        }
        return sum;
    }
}

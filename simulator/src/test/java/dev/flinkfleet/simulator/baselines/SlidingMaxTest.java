package dev.flinkfleet.simulator.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class SlidingMaxTest {

    /** Forward-moving windows of random width over random values: the same maximum as a plain scan. */
    @Property(tries = 500)
    void equalsAPlainScan(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int n, @ForAll @IntRange(min = 1, max = 50) int width) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(4) == 0 ? v[Math.max(0, i - 1)] : r.nextInt(100); // repeats exercise ties
        }
        SlidingMax m = new SlidingMax(v, width);
        int lo = 0;
        int hi = 0;
        while (lo < n) {
            hi = Math.min(n - 1, Math.max(hi, lo + r.nextInt(width)));
            double want = Double.NEGATIVE_INFINITY;
            for (int i = lo; i <= hi; i++) {
                want = Math.max(want, v[i]);
            }
            assertEquals(want, m.max(lo, hi), "max of [" + lo + ", " + hi + "]");
            lo += r.nextInt(3);
        }
    }
}

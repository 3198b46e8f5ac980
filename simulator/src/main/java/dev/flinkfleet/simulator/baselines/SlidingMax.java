package dev.flinkfleet.simulator.baselines;

/**
 * Maximum of {@code values[lo..hi]} for windows whose ends only move forward (a monotonic deque): O(1) amortised
 * per query however long the window, so a planner that looks days ahead on a 1 s trace stays linear in the trace.
 */
final class SlidingMax {

    private final double[] values;
    /** Indices of candidate maxima, values decreasing; a ring buffer, as it holds at most one window. */
    private final int[] ring;
    private int head;
    private int size;
    private int next;

    /** {@code maxWindow}: the most indices one query covers ({@code hi - lo + 1}). */
    SlidingMax(double[] values, int maxWindow) {
        this.values = values;
        this.ring = new int[Math.max(1, Math.min(values.length, maxWindow) + 1)];
    }

    /** The maximum over {@code [lo, hi]}; {@code lo} and {@code hi} never decrease from one call to the next. */
    double max(int lo, int hi) {
        // Drop what fell out of the window first, so the ring only ever holds indices within [lo, hi].
        while (size > 0 && ring[head] < lo) {
            head = (head + 1) % ring.length;
            size--;
        }
        next = Math.max(next, lo);
        while (next <= hi) {
            while (size > 0 && values[ring[(head + size - 1) % ring.length]] <= values[next]) {
                size--;
            }
            ring[(head + size) % ring.length] = next++;
            size++;
        }
        return values[ring[head]];
    }
}

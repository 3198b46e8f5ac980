package dev.flinkfleet.simulator.sweep;

/** Pareto frontier for two costs to minimise (vCPU-hours and SLA violation minutes). */
public final class Pareto {

    private Pareto() {
    }

    /** {@code true} at i when no other point is at least as good in both and better in one. */
    public static boolean[] frontier(double[] cost, double[] violation) {
        int n = cost.length;
        boolean[] on = new boolean[n];
        for (int i = 0; i < n; i++) {
            on[i] = true;
            for (int j = 0; j < n && on[i]; j++) {
                if (j != i && cost[j] <= cost[i] && violation[j] <= violation[i] && (cost[j] < cost[i] || violation[j] < violation[i])) {
                    on[i] = false;
                }
            }
        }
        return on;
    }
}

package dev.flinkfleet.autoscaler.daemon;

import java.util.Set;

import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Registers the daemon's leadership series for tests outside this package (the chart's metric-name check). */
public final class LeadershipMetricsAccess {

    private LeadershipMetricsAccess() {
    }

    public static void register(PrometheusRegistry registry) {
        LeadershipMetrics.register(registry, () -> true, 1, () -> Set.of(0), true);
    }
}

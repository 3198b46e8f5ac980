package dev.flinkfleet.autoscaler.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.flinkfleet.autoscaler.daemon.BuildInfo;
import dev.flinkfleet.autoscaler.daemon.DaemonMetrics;
import dev.flinkfleet.autoscaler.daemon.LeadershipMetricsAccess;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/** Alerts and dashboard may only query series the daemon exports: a renamed metric must fail here, not in production. */
class ChartMetricNamesTest {

    private static final Pattern METRIC = Pattern.compile("\\b(flinkfleet|jvm)_[a-z_]+");
    /** A selector on a daemon series naming a label it no longer has (`job`, `namespace` are the target's; `signal` became names). */
    private static final Pattern OLD_LABEL = Pattern.compile("flinkfleet_[a-z_]+\\{[^}]*?\\b(signal|job|namespace)\\s*(=~?|!=)");
    /** An aggregation over a per-job series and the labels it keeps. */
    private static final Pattern PER_JOB_BY = Pattern.compile("by \\(([a-z_, ]*)\\) \\((flinkfleet_job_[a-z_]+)");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"files/alerts.yaml", "dashboards/flink-autoscaler.json"})
    void referencesOnlyExportedSeriesWithTheirLabels(String file) throws IOException {
        String text = Files.readString(ChartFiles.chartDir().resolve(file));
        Set<String> exported = exportedSeries();
        Set<String> used = names(METRIC.matcher(text), 0);
        assertTrue(used.size() >= 6, "expected many flinkfleet_ series in " + file + ": " + used);
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(exported);
        assertEquals(Set.of(), unknown, file + " queries series the daemon does not export; exported: " + exported);

        assertEquals(Set.of(), names(OLD_LABEL.matcher(text), 0), file + " selects on labels the daemon's series no longer have");
        Set<String> byTargetLabels = new TreeSet<>();
        Matcher by = PER_JOB_BY.matcher(text);
        while (by.find()) {
            List<String> labels = Arrays.stream(by.group(1).split(",")).map(String::strip).toList();
            if (labels.contains("job") || labels.contains("namespace")) {
                byTargetLabels.add(by.group(0));
            }
        }
        assertEquals(Set.of(), byTargetLabels, file + ": per-job series are told apart by flink_namespace and flink_job");
    }

    /** Every series the daemon exports with a flinkfleet_ or jvm_ name, as exposed: counters get _total, classic histograms _bucket/_sum/_count. */
    private static Set<String> exportedSeries() {
        PrometheusRegistry registry = new PrometheusRegistry();
        new DaemonMetrics(registry);
        new BuildInfo("test", "test").register(registry);
        LeadershipMetricsAccess.register(registry);
        JvmMetrics.builder().register(registry);
        Set<String> names = new TreeSet<>();
        for (MetricSnapshot s : registry.scrape()) {
            String name = s.getMetadata().getPrometheusName();
            if (s instanceof CounterSnapshot) {
                names.add(name + "_total");
            } else if (s instanceof HistogramSnapshot) {
                Stream.of("_bucket", "_sum", "_count").forEach(suffix -> names.add(name + suffix));
            } else if (s instanceof InfoSnapshot) {
                names.add(name + "_info");
            } else {
                names.add(name);
            }
        }
        return names;
    }

    private static Set<String> names(Matcher m, int group) {
        Set<String> out = new TreeSet<>();
        while (m.find()) {
            out.add(m.group(group));
        }
        return out;
    }
}

package dev.flinkfleet.autoscaler.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.flinkfleet.autoscaler.daemon.DaemonMetrics;
import dev.flinkfleet.policies.SignalKind;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/** Alerts and dashboard may only query series the daemon exports: a renamed metric must fail here, not in production. */
class ChartMetricNamesTest {

    private static final Pattern METRIC = Pattern.compile("\\bflinkfleet_[a-z_]+");
    private static final Pattern SIGNAL = Pattern.compile("signal=\\\\?\"([a-z-]+)\\\\?\"");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"files/alerts.yaml", "dashboards/flink-autoscaler.json"})
    void referencesOnlyExportedSeriesAndKnownSignals(String file) throws IOException {
        String text = Files.readString(ChartFiles.chartDir().resolve(file));
        Set<String> exported = exportedSeries();
        Set<String> used = names(METRIC.matcher(text), 0);
        assertTrue(used.size() >= 6, "expected many flinkfleet_ series in " + file + ": " + used);
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(exported);
        assertEquals(Set.of(), unknown, file + " queries series the daemon does not export; exported: " + exported);

        Set<String> signals = Arrays.stream(SignalKind.values()).map(SignalKind::key).collect(Collectors.toSet());
        Set<String> unknownSignals = new TreeSet<>(names(SIGNAL.matcher(text), 1));
        assertTrue(unknownSignals.contains("watermark-lag"), file + ": no signal label values found");
        unknownSignals.removeAll(signals);
        assertEquals(Set.of(), unknownSignals, file + " uses unknown signal label values");
    }

    /** Series names as exposed: counters get _total, classic histograms _bucket/_sum/_count. */
    private static Set<String> exportedSeries() {
        PrometheusRegistry registry = new PrometheusRegistry();
        new DaemonMetrics(registry);
        Set<String> names = new TreeSet<>();
        for (MetricSnapshot s : registry.scrape()) {
            String name = s.getMetadata().getPrometheusName();
            if (s instanceof CounterSnapshot) {
                names.add(name + "_total");
            } else if (s instanceof HistogramSnapshot) {
                Stream.of("_bucket", "_sum", "_count").forEach(suffix -> names.add(name + suffix));
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

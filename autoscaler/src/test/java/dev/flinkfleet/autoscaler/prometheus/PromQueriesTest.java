package dev.flinkfleet.autoscaler.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;

import dev.flinkfleet.policies.SignalKind;

class PromQueriesTest {

    private static final Duration W = Duration.ofMinutes(2);
    private static final Duration S = Duration.ofSeconds(15);

    record RenderCase(String name, String template, String jobLabel, String selector, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<RenderCase> renderCases() {
        return Stream.of(
                new RenderCase("empty selector drops the comma before it",
                        "m{a=\"b\", {{selector}}}", "job_name", "", "m{a=\"b\"}"),
                new RenderCase("empty selector alone leaves empty braces",
                        "m{{{selector}}}", "job_name", "", "m{}"),
                new RenderCase("empty selector drops the comma after it",
                        "m{{{selector}}, a=\"b\"}", "job_name", "", "m{a=\"b\"}"),
                new RenderCase("selector after other matchers",
                        "m{a=\"b\", {{selector}}}", "job_name", "namespace=\"prod\"", "m{a=\"b\", namespace=\"prod\"}"),
                new RenderCase("selector alone",
                        "m{{{selector}}}", "job_name", "namespace=\"prod\", team!=\"x\"", "m{namespace=\"prod\", team!=\"x\"}"),
                new RenderCase("selector in two places",
                        "a{{{selector}}} + b{x=\"1\",{{selector}}}", "job_name", "ns=\"p\"", "a{ns=\"p\"} + b{x=\"1\",ns=\"p\"}"),
                new RenderCase("job label, also with spaces in the placeholder",
                        "sum by ({{job_label}}) (m) / max by ({{ job_label }}) (n)", "deployment", "",
                        "sum by (deployment) (m) / max by (deployment) (n)"),
                new RenderCase("window and step as PromQL durations",
                        "deriv((sum by ({{job_label}}) (m))[{{window}}:{{step}}])", "job_name", "",
                        "deriv((sum by (job_name) (m))[120s:15s])"),
                new RenderCase("regex with a dollar sign survives",
                        "m{operator_name=~\"Sink.*$\", {{selector}}}", "job_name", "pod=~\"a$\"",
                        "m{operator_name=~\"Sink.*$\", pod=~\"a$\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderCases")
    void rendersTemplates(RenderCase c) {
        assertEquals(c.expected(), PromQueries.renderOne("t", c.template(), new PromQueries.Vars(c.jobLabel(), c.selector(), W, S)));
    }

    record DurationCase(Duration d, String expected) {
        @Override
        public String toString() {
            return d.toString();
        }
    }

    static Stream<DurationCase> durations() {
        return Stream.of(new DurationCase(Duration.ofMinutes(2), "120s"), new DurationCase(Duration.ofSeconds(1), "1s"),
                new DurationCase(Duration.ofMillis(1500), "1500ms"), new DurationCase(Duration.ofMillis(250), "250ms"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durations")
    void formatsDurations(DurationCase c) {
        assertEquals(c.expected(), PromQueries.promDuration(c.d()));
    }

    record BadTemplate(String name, String value, String sampleTime, String messagePart) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadTemplate> badTemplates() {
        return Stream.of(
                new BadTemplate("value not aggregated by the job label", "sum(m)", "", "must aggregate by {{key_labels}}"),
                new BadTemplate("unknown placeholder in value", "sum by ({{job_label}}) (m{{{namespace}}})", "", "unknown placeholder(s) [namespace]"),
                new BadTemplate("unknown placeholder in sample-time", "sum by ({{job_label}}) (m)", "min by ({{job}}) (m)",
                        "throughput.sample-time: unknown placeholder(s) [job]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTemplates")
    void rejectsUnusableTemplates(BadTemplate c) {
        var e = assertThrows(IllegalArgumentException.class, () -> PromQueries.render(
                Map.of(SignalKind.THROUGHPUT, new String[] {c.value(), c.sampleTime()}), new PromQueries.Vars("job_name", "", W, S)));
        assertTrue(e.getMessage().contains(c.messagePart()), e.getMessage());
    }

    @Test
    void emptyValueDisablesTheSignalAndEmptySampleTimeIsAbsent() {
        PromQueries q = PromQueries.render(Map.of(
                SignalKind.THROUGHPUT, new String[] {"", "min by ({{job_label}}) (x)"},
                SignalKind.CPU, new String[] {"max by ({{job_label}}) (c)", ""}), new PromQueries.Vars("job_name", "", W, S));
        assertEquals(List.of(SignalKind.CPU), List.copyOf(q.bySignal().keySet()));
        assertTrue(q.bySignal().get(SignalKind.CPU).sampleTime().isEmpty());
        assertEquals(1, q.requestsPerCycle());
    }

    @ParameterizedTest(name = "'{0}'")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"job-name", "1job", ""})
    void rejectsBadJobLabels(String label) {
        assertThrows(IllegalArgumentException.class, () -> new PromQueries.Vars(label, "", W, S));
    }

    @ParameterizedTest(name = "'{0}'")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"{ns=\"a\"}", "ns=\"a\",", ",ns=\"a\"", "{{selector}}"})
    void rejectsSelectorsThatAreNotBareMatchers(String selector) {
        assertThrows(IllegalArgumentException.class, () -> new PromQueries.Vars("job_name", selector, W, S));
    }

    // --- the shipped defaults in reference.conf ---

    @Test
    void defaultsRenderToOneAggregatedQueryPerSignal() {
        PrometheusSettings s = PrometheusSettings.fromConfig(ConfigFactory.defaultReference());
        assertEquals(List.of(SignalKind.INPUT_RATE, SignalKind.THROUGHPUT, SignalKind.BACKLOG, SignalKind.BACKLOG_GROWTH,
                SignalKind.CPU, SignalKind.WATERMARK_LAG), List.copyOf(s.queries().bySignal().keySet()));
        for (PromQueries.SignalQuery q : s.queries().bySignal().values()) {
            for (String promql : List.of(q.value(), q.sampleTime().orElseThrow())) {
                assertFalse(promql.contains("{{"), promql);
                assertFalse(promql.matches(".*,\\s*}.*") || promql.matches(".*\\{\\s*,.*"), "dangling comma: " + promql);
                assertTrue(promql.contains("by (namespace, app, job_name)"), promql);
                assertFalse(promql.contains("task_attempt_id") || promql.contains("tm_id"), promql);
            }
        }
        assertEquals(12, s.queries().requestsPerCycle());
    }

    record KeyCase(String name, String config, String byClause) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<KeyCase> keyLabels() {
        return Stream.of(
                new KeyCase("shipped: namespace, deployment, job name", "", "by (namespace, app, job_name)"),
                new KeyCase("renamed labels", "namespace-label = kubernetes_namespace, deployment-label = flink_deployment",
                        "by (kubernetes_namespace, flink_deployment, job_name)"),
                new KeyCase("job name only", "deployment-label = \"\"", "by (job_name)"),
                new KeyCase("job label renamed, job name only", "deployment-label = \"\", job-label = deployment", "by (deployment)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyLabels")
    void keyLabelsReachEveryQuery(KeyCase k) {
        Config c = ConfigFactory.parseString("flinkfleet.prometheus { " + k.config() + " }").withFallback(ConfigFactory.defaultReference());
        PrometheusSettings s = PrometheusSettings.fromConfig(c);
        for (PromQueries.SignalQuery q : s.queries().bySignal().values()) {
            assertTrue(q.value().contains(k.byClause()), q.value());
            assertTrue(q.sampleTime().orElseThrow().contains(k.byClause()), q.sampleTime().get());
        }
    }

    @Test
    void olderJobLabelPlaceholderStillRenders() {
        String q = PromQueries.renderOne("t", "sum by ({{job_label}}) (m)", new PromQueries.Vars(new SeriesKeys("namespace", "app", "job_name"), "", W, S));
        assertEquals("sum by (namespace, app, job_name) (m)", q);
    }

    @Test
    void selectorAndJobLabelReachEveryQuery() {
        Config c = ConfigFactory.parseString("flinkfleet.prometheus { selector = \"namespace=\\\"prod\\\"\", job-label = deployment }")
                .withFallback(ConfigFactory.defaultReference());
        PrometheusSettings s = PrometheusSettings.fromConfig(c);
        for (PromQueries.SignalQuery q : s.queries().bySignal().values()) {
            assertTrue(q.value().contains("namespace=\"prod\""), q.value());
            assertTrue(q.value().contains("by (namespace, app, deployment)"), q.value());
            assertTrue(q.sampleTime().orElseThrow().contains("namespace=\"prod\""), q.sampleTime().get());
        }
    }

    record ConfigCase(String name, String hocon, String key) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ConfigCase> badConfigs() {
        return Stream.of(
                new ConfigCase("unknown signal", "flinkfleet.prometheus.queries.lag { value = \"x\" }", "flinkfleet.prometheus.queries.lag"),
                new ConfigCase("value without job label", "flinkfleet.prometheus.queries.cpu.value = \"max(x)\"",
                        "flinkfleet.prometheus.queries.cpu.value"),
                new ConfigCase("bad placeholder in sample-time", "flinkfleet.prometheus.queries.cpu.sample-time = \"min by ({{jobs}}) (x)\"",
                        "flinkfleet.prometheus.queries.cpu.sample-time"),
                new ConfigCase("job label with a dash", "flinkfleet.prometheus.job-label = job-name", "flinkfleet.prometheus.job-label"),
                new ConfigCase("deployment label with a dot", "flinkfleet.prometheus.deployment-label = \"app.kubernetes.io/name\"",
                        "flinkfleet.prometheus.deployment-label"),
                new ConfigCase("namespace label empty while keyed by deployment", "flinkfleet.prometheus.namespace-label = \"\"",
                        "flinkfleet.prometheus.namespace-label"),
                new ConfigCase("selector in braces", "flinkfleet.prometheus.selector = \"{a=\\\"b\\\"}\"", "flinkfleet.prometheus.selector"),
                new ConfigCase("url without host", "flinkfleet.prometheus.url = \"localhost:9090\"", "flinkfleet.prometheus.url"),
                new ConfigCase("zero timeout", "flinkfleet.prometheus.timeout = 0s", "flinkfleet.prometheus.timeout"),
                new ConfigCase("step above window", "flinkfleet.prometheus { window = 10s, step = 30s }", "flinkfleet.prometheus.step"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void badConfigNamesOriginAndKey(ConfigCase c) {
        Config conf = ConfigFactory.parseString(c.hocon(), com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription("fleet.conf"))
                .withFallback(ConfigFactory.defaultReference());
        ConfigException e = assertThrows(ConfigException.class, () -> PrometheusSettings.fromConfig(conf));
        assertTrue(e.getMessage().contains(c.key()), e.getMessage());
        assertTrue(e.getMessage().contains("fleet.conf: 1"), "origin with line: " + e.getMessage());
    }

    @Test
    void everyPrometheusKeyIsDocumented() {
        Config ref = ConfigFactory.defaultReference().getConfig(PrometheusSettings.ROOT);
        List<String> undocumented = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : ref.entrySet()) {
            if (e.getValue().origin().comments().isEmpty()) {
                undocumented.add(e.getKey());
            }
        }
        assertTrue(undocumented.isEmpty(), "keys without a doc comment in reference.conf: " + undocumented);
        assertTrue(ref.entrySet().size() >= 20, "expected the full block, got " + ref.entrySet().size() + " keys");
    }
}

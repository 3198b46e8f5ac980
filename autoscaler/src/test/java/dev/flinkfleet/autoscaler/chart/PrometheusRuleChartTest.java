package dev.flinkfleet.autoscaler.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/** Each alert links to its runbook; the chart lets users move the links and add rules of their own. */
class PrometheusRuleChartTest {

    private static final String RUNBOOKS = "https://github.com/flinkfleet/flinkfleet/blob/main/docs/runbooks.md";

    @Test
    void everyAlertLinksToItsOwnSectionOfTheRunbooks() throws IOException {
        Map<String, Object> file = ChartFiles.yamlMap(Files.readString(ChartFiles.chartDir().resolve("files/alerts.yaml")));
        Path doc = ChartFiles.chartDir().resolve("../../docs/runbooks.md").normalize();
        Set<String> anchors = new TreeSet<>();
        Matcher h = Pattern.compile("(?m)^## (\\S+)$").matcher(Files.readString(doc));
        while (h.find()) {
            anchors.add(h.group(1).toLowerCase(Locale.ROOT));
        }
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> r : rules(groups(file))) {
            String alert = (String) r.get("alert");
            Object url = annotations(r).get("runbook_url");
            String want = RUNBOOKS + "#" + alert.toLowerCase(Locale.ROOT);
            if (!want.equals(url)) {
                problems.add(alert + ": runbook_url " + url + ", want " + want);
            }
            if (!anchors.contains(alert.toLowerCase(Locale.ROOT))) {
                problems.add(alert + ": no section '## " + alert + "' in " + doc);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void runbookBaseUrlAndAdditionalRulesReachThePrometheusRule() {
        String values = """
                metrics:
                  prometheusRule:
                    enabled: true
                    runbookBaseUrl: https://wiki.example.com/flink/runbooks/
                    additionalRules:
                      - alert: TooManyJobsOverSLA
                        expr: sum(flinkfleet_jobs_attention{cause="over_sla"}) > 100
                        for: 10m
                        labels: {severity: warning}
                      - record: flinkfleet:jobs_over_sla:sum
                        expr: sum by (application) (flinkfleet_jobs_attention{cause="over_sla"})
                """;
        GenericKubernetesResource rule = ChartFiles.parse(ChartFiles.render(Map.of(), values)).stream()
                .filter(o -> o.getKind().equals("PrometheusRule")).map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
        List<Map<String, Object>> groups = groups(rule.getAdditionalProperties().get("spec"));
        for (Map<String, Object> r : rules(groups.subList(0, groups.size() - 1))) {
            assertEquals("https://wiki.example.com/flink/runbooks#" + ((String) r.get("alert")).toLowerCase(Locale.ROOT),
                    annotations(r).get("runbook_url"));
        }
        Map<String, Object> own = groups.get(groups.size() - 1);
        assertEquals(ChartFiles.RELEASE + "-flink-autoscaler-additional", own.get("name"));
        List<Map<String, Object>> ownRules = rules(List.of(own));
        assertEquals(List.of("TooManyJobsOverSLA", "flinkfleet:jobs_over_sla:sum"),
                ownRules.stream().map(r -> (String) (r.containsKey("alert") ? r.get("alert") : r.get("record"))).toList());
        assertEquals("10m", ownRules.get(0).get("for"));
    }

    @Test
    void theSchemaRefusesARuleWithoutAnExpression() {
        Exception e = assertThrows(Exception.class, () -> ChartFiles.render(Map.of(), """
                metrics: {prometheusRule: {enabled: true, additionalRules: [{alert: NoExpr}]}}
                """));
        assertTrue(e.getMessage().contains("additionalRules"), e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> groups(Object specOrFile) {
        return (List<Map<String, Object>>) ((Map<String, Object>) specOrFile).get("groups");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules(List<Map<String, Object>> groups) {
        List<Map<String, Object>> out = new ArrayList<>();
        groups.forEach(g -> out.addAll((List<Map<String, Object>>) g.get("rules")));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> annotations(Map<String, Object> rule) {
        return (Map<String, Object>) rule.getOrDefault("annotations", Map.of());
    }
}

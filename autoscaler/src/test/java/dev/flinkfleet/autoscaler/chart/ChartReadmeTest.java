package dev.flinkfleet.autoscaler.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.autoscaler.chart.ChartValuesDoc.Row;

/**
 * The chart README's values table is generated from values.yaml ({@link ChartValuesDoc}) and must not drift from
 * it. To regenerate it after editing values.yaml:
 *
 * <pre>
 * mvn -B -o -q -pl autoscaler -am test -Dtest=ChartReadmeTest -Dsurefire.failIfNoSpecifiedTests=false -Dflinkfleet.chart.readme.write=true
 * </pre>
 */
class ChartReadmeTest {

    /** Set to true to rewrite the README's table instead of failing on a difference. */
    static final String WRITE = "flinkfleet.chart.readme.write";

    @Test
    void readmeValuesTableIsTheOneGeneratedFromValuesYaml() throws IOException {
        Path readme = ChartFiles.chartDir().resolve("README.md");
        String current = Files.readString(readme);
        String expected = ChartValuesDoc.withTable(current, Files.readString(ChartFiles.chartDir().resolve("values.yaml")));
        if (Boolean.getBoolean(WRITE)) {
            Files.writeString(readme, expected);
            return;
        }
        assertEquals(expected, current, "charts/flink-autoscaler/README.md's values table differs from values.yaml; regenerate it with\n"
                + "  mvn -B -o -q -pl autoscaler -am test -Dtest=ChartReadmeTest -Dsurefire.failIfNoSpecifiedTests=false -D" + WRITE + "=true");
    }

    @Test
    void everyValueOfTheChartIsDocumented() throws IOException {
        List<Row> rows = ChartValuesDoc.rows(Files.readString(ChartFiles.chartDir().resolve("values.yaml")));
        List<String> undocumented = rows.stream().filter(r -> r.description().isBlank()).map(Row::key)
                // Owned by the monitoring part of the chart, documented the older way (plain comments) or not yet.
                .filter(k -> !k.startsWith("metrics.prometheusRule.") && !k.startsWith("grafanaDashboard.")).toList();
        assertEquals(List.of(), undocumented, "values without a `# --` description");
        assertTrue(rows.size() > 60, "rows: " + rows.size());
    }

    record Case(String name, String yaml, List<Row> rows) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("documented leaf", "# -- Pods.\nreplicaCount: 2\n", List.of(new Row("replicaCount", "int", "`2`", "Pods."))),
                new Case("description over several lines", "# -- First line\n# and the second.\nx: a\n",
                        List.of(new Row("x", "string", "`\"a\"`", "First line and the second."))),
                new Case("undocumented block is descended into", "image:\n  # -- Repo.\n  repository: r\n  # -- Tag.\n  tag: \"\"\n",
                        List.of(new Row("image.repository", "string", "`\"r\"`", "Repo."), new Row("image.tag", "string", "`\"\"`", "Tag."))),
                new Case("documented block is one row", "# -- Limits.\nresources:\n  limits:\n    memory: 1Gi\n",
                        List.of(new Row("resources", "object", "`{\"limits\":{\"memory\":\"1Gi\"}}`", "Limits."))),
                new Case("empty block and list are leaves", "# -- Labels.\nlabels: {}\n# -- Args.\nargs: []\n",
                        List.of(new Row("labels", "object", "`{}`", "Labels."), new Row("args", "list", "`[]`", "Args."))),
                new Case("type and default overridden", "# -- (int) Cap; null = computed.\n# @default -- computed\ncap: null\n",
                        List.of(new Row("cap", "int", "computed", "Cap; null = computed."))),
                new Case("a comment before a blank line belongs to no key", "# File header.\n\n# -- Flag.\nenabled: true\n",
                        List.of(new Row("enabled", "bool", "`true`", "Flag."))),
                new Case("plain comment when there is no `# --`", "# Older comment.\nold: 1.5\nbare: x\n",
                        List.of(new Row("old", "float", "`1.5`", "Older comment."), new Row("bare", "string", "`\"x\"`", ""))),
                new Case("the text after `# --` only", "# Plain note.\n# -- The doc.\nk: v\n",
                        List.of(new Row("k", "string", "`\"v\"`", "The doc."))),
                new Case("block scalar", "# -- HOCON.\nconfig: |\n  a = 1\n  b = 2\n",
                        List.of(new Row("config", "string", "`\"a = 1\\nb = 2\\n\"`", "HOCON."))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsHelmDocsComments(Case c) {
        assertEquals(c.rows(), ChartValuesDoc.rows(c.yaml()));
    }

    @Test
    void tableEscapesPipesAndReplacesOnlyBetweenTheMarkers() {
        String table = ChartValuesDoc.table(List.of(new Row("a", "string", "`\"x|y\"`", "one | two")));
        assertEquals("| Key | Type | Default | Description |\n|-----|------|---------|-------------|\n"
                + "| a | string | `\"x\\|y\"` | one \\| two |\n", table);
        String readme = "# T\n" + ChartValuesDoc.START + "\nold\n" + ChartValuesDoc.END + "\ntail\n";
        assertEquals("# T\n" + ChartValuesDoc.START + "\n| Key | Type | Default | Description |\n|-----|------|---------|-------------|\n"
                + "| n | int | `1` | N. |\n" + ChartValuesDoc.END + "\ntail\n", ChartValuesDoc.withTable(readme, "# -- N.\nn: 1\n"));
        assertThrows(IllegalArgumentException.class, () -> ChartValuesDoc.withTable("no markers", "n: 1\n"));
    }
}

package dev.flinkfleet.autoscaler.chart;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** Finds the chart from wherever Maven runs the tests (module or repository root) and renders it with helm-java. */
final class ChartFiles {

    static final String RELEASE = "ff";
    static final String NAMESPACE = "flinkfleet-system";

    /** Building the client reads no cluster; it is only used to parse YAML into typed objects. */
    private static final KubernetesClient CLIENT = new KubernetesClientBuilder().build();

    private ChartFiles() {
    }

    /** charts/flink-autoscaler, searched upwards from the working directory. */
    static Path chartDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path chart = dir.resolve("charts").resolve("flink-autoscaler");
            if (Files.isRegularFile(chart.resolve("Chart.yaml"))) {
                return chart;
            }
        }
        throw new IllegalStateException("charts/flink-autoscaler/Chart.yaml not found above " + Path.of("").toAbsolutePath());
    }

    /** helm template with the given --set values, as YAML text. Throws when Helm refuses the values. */
    static String render(Map<String, Object> sets) {
        return render(sets, "");
    }

    /**
     * helm template with a values file (YAML text; lists and empty lists, which --set through helm-java cannot
     * express) and --set values on top.
     */
    static String render(Map<String, Object> sets, String valuesYaml) {
        TemplateCommand cmd = new Helm(chartDir()).template().withName(RELEASE).withNamespace(NAMESPACE);
        Path file = null;
        try {
            if (!valuesYaml.isEmpty()) {
                file = Files.createTempFile("values", ".yaml");
                Files.writeString(file, valuesYaml);
                cmd.withValuesFile(file);
            }
            sets.forEach(cmd::set);
            return cmd.call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }

    static List<HasMetadata> parse(String yaml) {
        return CLIENT.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yamlMap(String yaml) {
        return CLIENT.getKubernetesSerialization().unmarshal(yaml, Map.class);
    }
}

package dev.flinkfleet.autoscaler.kubernetes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Flink configuration written as YAML (a FlinkDeployment's spec.flinkConfiguration, the operator's config.yaml)
 * read as Flink reads it: nested mappings are dotted keys ({@code job: {autoscaler: {enabled: true}}} is
 * {@code job.autoscaler.enabled}), and a list is one value joined with ';' (e.g. excluded.periods).
 */
public final class FlinkConfigurationMaps {

    private FlinkConfigurationMaps() {
    }

    /** Every leaf of {@code yaml} under its dotted key, as a string, in the map's order; nulls are left out. */
    public static Map<String, String> flatten(Map<?, ?> yaml) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", yaml, out);
        return out;
    }

    private static void flatten(String prefix, Map<?, ?> m, Map<String, String> out) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = prefix + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> nested) {
                flatten(key + ".", nested, out);
            } else if (v instanceof List<?> list) {
                out.put(key, list.stream().map(String::valueOf).collect(Collectors.joining(";")));
            } else if (v != null) {
                out.put(key, String.valueOf(v));
            }
        }
    }
}

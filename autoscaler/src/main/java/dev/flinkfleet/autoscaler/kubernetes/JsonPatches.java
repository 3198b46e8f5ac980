package dev.flinkfleet.autoscaler.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Builds JSON merge patch bodies. */
final class JsonPatches {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonPatches() {
    }

    /**
     * A merge patch with {@code metadata.resourceVersion} set when {@code resourceVersion} is non-null: the API
     * server then applies it only if the object is unchanged since that version, and answers 409 otherwise.
     */
    static String mergePatch(String resourceVersion, Map<String, String> annotations, Map<String, Object> spec) {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> meta = new LinkedHashMap<>();
        if (resourceVersion != null) {
            meta.put("resourceVersion", resourceVersion);
        }
        if (annotations != null && !annotations.isEmpty()) {
            meta.put("annotations", annotations);
        }
        if (!meta.isEmpty()) {
            body.put("metadata", meta);
        }
        if (spec != null && !spec.isEmpty()) {
            body.put("spec", spec);
        }
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise patch", e);
        }
    }

    /** Deep-merges {@code add} into {@code base} (maps merge, everything else replaces). */
    @SuppressWarnings("unchecked")
    static void deepMerge(Map<String, Object> base, Map<String, Object> add) {
        for (Map.Entry<String, Object> e : add.entrySet()) {
            Object cur = base.get(e.getKey());
            if (cur instanceof Map<?, ?> cm && e.getValue() instanceof Map<?, ?> am) {
                Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) cm);
                deepMerge(merged, (Map<String, Object>) am);
                base.put(e.getKey(), merged);
            } else {
                base.put(e.getKey(), e.getValue());
            }
        }
    }
}

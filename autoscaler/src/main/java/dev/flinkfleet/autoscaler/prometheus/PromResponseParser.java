package dev.flinkfleet.autoscaler.prometheus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.flinkfleet.autoscaler.prometheus.PrometheusException.Kind;

/**
 * Turns the JSON bodies of {@code /api/v1/query} and {@code /api/v1/query_range} into series. Pure: no I/O,
 * so every shape the server can send is covered by table tests (and a property-based fuzz test). A body of the
 * wrong shape is a {@link PrometheusException} of kind MALFORMED_RESPONSE whose message names the field, e.g.
 * {@code data.result[3].value}; nothing else is thrown.
 */
public final class PromResponseParser {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Enough of a non-JSON error body (proxy pages, ...) to recognise it in a log line. */
    private static final int MAX_RAW_MESSAGE = 300;

    private PromResponseParser() {
    }

    /** An instant query's result. A scalar result becomes one series without labels. */
    public static List<InstantSeries> parseInstant(String query, String body) {
        JsonNode data = successData(query, body);
        String type = text(data, "resultType", "data.resultType", query);
        JsonNode result = data.get("result");
        switch (type) {
            case "vector" -> {
                List<InstantSeries> out = new ArrayList<>(result == null ? 0 : result.size());
                int i = 0;
                for (JsonNode series : array(result, "data.result", query)) {
                    String at = "data.result[" + i++ + "]";
                    out.add(new InstantSeries(labels(series, at, query), sample(series.get("value"), at + ".value", query)));
                }
                return out;
            }
            case "scalar" -> {
                return List.of(new InstantSeries(Map.of(), sample(result, "data.result", query)));
            }
            default -> throw malformed(query, "data.resultType: expected resultType vector or scalar, got '" + cut(type) + "'");
        }
    }

    /** A range query's result (resultType matrix). */
    public static List<RangeSeries> parseRange(String query, String body) {
        JsonNode data = successData(query, body);
        String type = text(data, "resultType", "data.resultType", query);
        if (!type.equals("matrix")) {
            throw malformed(query, "data.resultType: expected resultType matrix, got '" + cut(type) + "'");
        }
        List<RangeSeries> out = new ArrayList<>();
        int i = 0;
        for (JsonNode series : array(data.get("result"), "data.result", query)) {
            String at = "data.result[" + i++ + "]";
            List<Sample> samples = new ArrayList<>();
            int j = 0;
            for (JsonNode pair : array(series.get("values"), at + ".values", query)) {
                samples.add(sample(pair, at + ".values[" + j++ + "]", query));
            }
            out.add(new RangeSeries(labels(series, at, query), samples));
        }
        return out;
    }

    /**
     * The server's explanation in an error body: {@code errorType: error} when it is the API's JSON, else the
     * start of the raw body (a proxy or load balancer may answer instead of Prometheus).
     */
    public static String errorMessage(String body) {
        if (body == null || body.isBlank()) {
            return "empty body";
        }
        try {
            JsonNode root = JSON.readTree(body);
            if (root != null && root.hasNonNull("error")) {
                String type = root.path("errorType").asText("");
                return (type.isEmpty() ? "" : type + ": ") + root.get("error").asText();
            }
        } catch (IOException notJson) {
            // fall through to the raw text
        }
        String trimmed = body.strip();
        return trimmed.length() <= MAX_RAW_MESSAGE ? trimmed : trimmed.substring(0, MAX_RAW_MESSAGE) + "...";
    }

    /**
     * Parses a value as the API sends it: a JSON string holding a Go float. Prometheus writes {@code NaN},
     * {@code +Inf} and {@code -Inf}; the other spellings Go accepts (any case, {@code infinity}) are taken too,
     * since Prometheus-compatible servers differ.
     */
    public static double parseValue(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        return switch (lower) {
            case "nan" -> Double.NaN;
            case "+inf", "inf", "+infinity", "infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> {
                // Java would also accept hex floats and a trailing 'd' or 'f'; no server sends those.
                if (text.isEmpty() || !text.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.' || c == '-'
                        || c == '+' || c == 'e' || c == 'E')) {
                    throw new NumberFormatException("not a Prometheus float: '" + text + "'");
                }
                yield Double.parseDouble(text);
            }
        };
    }

    private static JsonNode successData(String query, String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new PrometheusException(Kind.MALFORMED_RESPONSE, query, 0, "not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw malformed(query, "top level: expected a JSON object, got " + (root == null || root.isMissingNode() ? "nothing" : root.getNodeType()));
        }
        String status = text(root, "status", "status", query);
        if (status.equals("error")) {
            throw new PrometheusException(Kind.API_ERROR, query, errorMessage(body));
        }
        if (!status.equals("success")) {
            throw malformed(query, "status: unknown status '" + cut(status) + "'");
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            throw malformed(query, "data: missing 'data' object");
        }
        return data;
    }

    private static Map<String, String> labels(JsonNode series, String at, String query) {
        JsonNode metric = series.get("metric");
        if (metric == null || !metric.isObject()) {
            throw malformed(query, at + ".metric: series without a 'metric' object");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = metric.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            // Label values are strings in the API; an object or number here would otherwise be read as "" or "1".
            if (!e.getValue().isTextual()) {
                throw malformed(query, at + ".metric." + cut(e.getKey()) + ": label value must be a string, got " + e.getValue().getNodeType());
            }
            labels.put(e.getKey(), e.getValue().asText());
        }
        return labels;
    }

    private static Sample sample(JsonNode pair, String at, String query) {
        if (pair == null || !pair.isArray() || pair.size() != 2 || !pair.get(0).isNumber() || !pair.get(1).isTextual()) {
            throw malformed(query, at + ": expected a sample [<unix seconds>, \"<value>\"], got " + cut(String.valueOf(pair)));
        }
        double time = pair.get(0).asDouble();
        if (!Double.isFinite(time)) {
            throw malformed(query, at + ": sample time is not a finite number: " + cut(pair.get(0).toString()));
        }
        try {
            return new Sample(parseValue(pair.get(1).asText()), time);
        } catch (NumberFormatException e) {
            throw malformed(query, at + ": " + cut(e.getMessage()));
        }
    }

    /** Enough of a value from the body to recognise it; a huge one would flood the log line. */
    private static String cut(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }

    private static Iterable<JsonNode> array(JsonNode node, String what, String query) {
        if (node == null || !node.isArray()) {
            throw malformed(query, what + ": expected '" + what + "' to be an array, got " + (node == null ? "nothing" : node.getNodeType()));
        }
        return node;
    }

    private static String text(JsonNode node, String field, String path, String query) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw malformed(query, path + ": missing string field '" + field + "'");
        }
        return v.asText();
    }

    private static PrometheusException malformed(String query, String message) {
        return new PrometheusException(Kind.MALFORMED_RESPONSE, query, message);
    }
}

package dev.flinkfleet.autoscaler.flinkrest;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flinkfleet.autoscaler.config.Secrets;
import dev.flinkfleet.autoscaler.flinkrest.FlinkRestException.Kind;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

/**
 * The few calls of one Flink cluster's REST API (JobManager) that discovery and the flink-rest actuator need.
 * Reads are retried (resilience4j) when the endpoint is unreachable or answers 503; the write is sent once,
 * because the actuator re-reads and re-decides instead. Every failure is a {@link FlinkRestException} whose
 * message names the endpoint.
 */
public final class FlinkRestClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final URI base;
    private final String shownAs;
    private final Duration timeout;
    private final HttpClient http;
    private final Retry retry;

    /**
     * @param name     the cluster's name in the config (the namespace of its jobs' references)
     * @param base     the REST address, e.g. {@code http://jobmanager:8081} (a path prefix is kept)
     * @param timeout  per request
     * @param attempts tries per read (1 = no retry)
     * @param backoff  wait before the second try
     */
    public FlinkRestClient(String name, URI base, Duration timeout, int attempts, Duration backoff) {
        this.name = Objects.requireNonNull(name, "name");
        this.base = URI.create(Objects.requireNonNull(base, "base").toString().replaceAll("/+$", ""));
        this.shownAs = "Flink REST endpoint '" + name + "' (" + Secrets.maskUrl(this.base) + ")";
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.retry = Retry.of("flink-rest:" + name, RetryConfig.custom()
                .maxAttempts(attempts)
                .intervalFunction(IntervalFunction.of(backoff))
                .retryOnException(e -> e instanceof FlinkRestException f && (f.kind() == Kind.UNREACHABLE || f.kind() == Kind.UNAVAILABLE))
                .build());
    }

    /** The cluster's name in the config. */
    public String name() {
        return name;
    }

    /** "Flink REST endpoint 'name' (url)", for messages. */
    public String describe() {
        return shownAs;
    }

    /** {@code GET /jobs/overview}: every job the cluster knows, in any state. */
    public List<JobSummary> jobs() throws FlinkRestException {
        JsonNode root = get("/jobs/overview");
        JsonNode jobs = root.path("jobs");
        if (!jobs.isArray()) {
            throw bad("/jobs/overview", "no \"jobs\" array");
        }
        List<JobSummary> out = new ArrayList<>();
        for (JsonNode j : jobs) {
            out.add(new JobSummary(text(j, "jid", "/jobs/overview"), text(j, "name", "/jobs/overview"), text(j, "state", "/jobs/overview")));
        }
        return out;
    }

    /** {@code GET /jobs/:jobid}: status and vertices. */
    public JobDetails job(String jobId) throws FlinkRestException {
        String path = "/jobs/" + jobId;
        JsonNode root = get(path);
        JsonNode vs = root.path("vertices");
        if (!vs.isArray()) {
            throw bad(path, "no \"vertices\" array");
        }
        List<JobDetails.Vertex> vertices = new ArrayList<>();
        for (JsonNode v : vs) {
            if (!v.path("parallelism").canConvertToInt()) {
                throw bad(path, "vertex without an integer parallelism");
            }
            vertices.add(new JobDetails.Vertex(text(v, "id", path), v.path("name").asText(""), v.path("parallelism").asInt(),
                    v.path("status").asText("")));
        }
        return new JobDetails(text(root, "jid", path), text(root, "name", path), text(root, "state", path), vertices);
    }

    /** {@code GET /jobs/:jobid/resource-requirements} (adaptive scheduler only; others refuse). */
    public ResourceRequirements requirements(String jobId) throws FlinkRestException {
        String path = "/jobs/" + jobId + "/resource-requirements";
        return parseRequirements(path, get(path));
    }

    /** {@code PUT /jobs/:jobid/resource-requirements}; sent once. */
    public void putRequirements(String jobId, ResourceRequirements requirements) throws FlinkRestException {
        String path = "/jobs/" + jobId + "/resource-requirements";
        ObjectNode body = JSON.createObjectNode();
        requirements.byVertex().forEach((v, b) -> {
            ObjectNode p = body.putObject(v).putObject("parallelism");
            p.put("lowerBound", b.lowerBound());
            p.put("upperBound", b.upperBound());
        });
        send(path, HttpRequest.newBuilder(uri(path)).timeout(timeout)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private ResourceRequirements parseRequirements(String path, JsonNode root) throws FlinkRestException {
        if (!root.isObject()) {
            throw bad(path, "not a JSON object");
        }
        Map<String, ResourceRequirements.Bounds> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode p = e.getValue().path("parallelism");
            if (!p.path("lowerBound").canConvertToInt() || !p.path("upperBound").canConvertToInt()) {
                throw bad(path, "vertex " + e.getKey() + " has no integer parallelism bounds");
            }
            try {
                m.put(e.getKey(), new ResourceRequirements.Bounds(p.path("lowerBound").asInt(), p.path("upperBound").asInt()));
            } catch (IllegalArgumentException ex) {
                throw bad(path, "vertex " + e.getKey() + ": " + ex.getMessage());
            }
        }
        if (m.isEmpty()) {
            throw bad(path, "no vertex");
        }
        return new ResourceRequirements(m);
    }

    private JsonNode get(String path) throws FlinkRestException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(timeout).header("Accept", "application/json").GET();
        try {
            return retry.executeCheckedSupplier(() -> send(path, request));
        } catch (FlinkRestException e) {
            throw e;
        } catch (Throwable t) {
            throw new FlinkRestException(Kind.UNREACHABLE, 0, shownAs + ": GET " + path + ": " + t, t);
        }
    }

    private JsonNode send(String path, HttpRequest.Builder request) throws FlinkRestException {
        HttpRequest r = request.build();
        HttpResponse<String> response;
        try {
            response = http.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new FlinkRestException(Kind.UNREACHABLE, 0, shownAs + " unreachable (" + r.method() + " " + path + "): " + e, e);
        } catch (HttpTimeoutException e) {
            throw new FlinkRestException(Kind.UNREACHABLE, 0, shownAs + " did not answer " + r.method() + " " + path + " within " + timeout, e);
        } catch (IOException e) {
            throw new FlinkRestException(Kind.UNREACHABLE, 0, shownAs + " unreachable (" + r.method() + " " + path + "): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkRestException(Kind.UNREACHABLE, 0, shownAs + ": interrupted during " + r.method() + " " + path, e);
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            Kind kind = switch (status) {
                case 404 -> Kind.NOT_FOUND;
                case 409 -> Kind.CONFLICT;
                case 503 -> Kind.UNAVAILABLE;
                default -> Kind.REFUSED;
            };
            throw new FlinkRestException(kind, status, shownAs + " answered HTTP " + status + " to " + r.method() + " " + path
                    + errors(response.body()), null);
        }
        String body = response.body();
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw bad(path, "not JSON: " + e.getOriginalMessage());
        }
    }

    /** Flink's {"errors": [...]} body, first line of each, briefly; a stack trace is not a message. */
    private static String errors(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                List<String> lines = new ArrayList<>();
                errors.forEach(e -> lines.add(firstLine(e.asText())));
                return ": " + String.join("; ", lines);
            }
        } catch (JsonProcessingException notJson) {
            // a proxy's HTML page: show its start
        }
        return ": " + firstLine(body);
    }

    /** The first line that says something: Flink wraps a server-side exception as "<Exception on server side:\n...". */
    private static String firstLine(String s) {
        String line = s.strip().lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("<Exception on server side"))
                .findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private String text(JsonNode node, String field, String path) throws FlinkRestException {
        JsonNode v = node.path(field);
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw bad(path, "no \"" + field + "\"");
        }
        return v.asText();
    }

    private FlinkRestException bad(String path, String what) {
        return new FlinkRestException(Kind.BAD_RESPONSE, 200, shownAs + ": unreadable answer to " + path + ": " + what, null);
    }
}

package dev.flinkfleet.autoscaler.flinkrest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tiny stand-in for a JobManager's REST API on loopback (JDK HttpServer): one job with two vertices, whose
 * answers a test can replace per {@code "METHOD path"} with any status and body. A PUT of resource requirements
 * is stored and read back, as Flink does. Only for the error table; the happy path runs against a real
 * MiniCluster.
 */
final class FakeFlinkRest implements AutoCloseable {

    static final String JOB_ID = "0123456789abcdef0123456789abcdef";
    static final String SOURCE = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    static final String MAP = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    record Answer(int status, String body) {
    }

    private final HttpServer server;
    private final Map<String, Answer> overrides = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    volatile String jobState = "RUNNING";
    volatile String vertexStatus = "RUNNING";
    volatile int running = 2;
    volatile String requirements = requirements(2);
    /** When set, replaces the stored requirements right after a PUT (a concurrent writer). */
    volatile String afterPut;

    FakeFlinkRest() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    static String requirements(int upper) {
        return "{\"" + SOURCE + "\":{\"parallelism\":{\"lowerBound\":1,\"upperBound\":" + upper + "}},\""
                + MAP + "\":{\"parallelism\":{\"lowerBound\":1,\"upperBound\":" + upper + "}}}";
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void answer(String methodAndPath, int status, String body) {
        overrides.put(methodAndPath, new Answer(status, body));
    }

    long puts() {
        return requests.stream().filter(r -> r.startsWith("PUT ")).count();
    }

    private void handle(HttpExchange ex) throws IOException {
        String key = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(key);
        Answer a = overrides.get(key);
        if (a == null) {
            a = standard(key, body);
        }
        byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    private Answer standard(String key, String body) {
        String job = "/jobs/" + JOB_ID;
        if (key.equals("GET /jobs/overview")) {
            return new Answer(200, "{\"jobs\":[{\"jid\":\"" + JOB_ID + "\",\"name\":\"orders\",\"state\":\"" + jobState + "\"}]}");
        }
        if (key.equals("GET " + job)) {
            return new Answer(200, "{\"jid\":\"" + JOB_ID + "\",\"name\":\"orders\",\"state\":\"" + jobState + "\",\"vertices\":["
                    + vertex(SOURCE, "Source: kafka") + "," + vertex(MAP, "work -> discard") + "]}");
        }
        if (key.equals("GET " + job + "/resource-requirements")) {
            return new Answer(200, requirements);
        }
        if (key.equals("PUT " + job + "/resource-requirements")) {
            requirements = afterPut != null ? afterPut : body;
            return new Answer(200, "{}");
        }
        return new Answer(404, "{\"errors\":[\"Not found: " + key + "\"]}");
    }

    private String vertex(String id, String name) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"parallelism\":" + running + ",\"status\":\"" + vertexStatus + "\"}";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

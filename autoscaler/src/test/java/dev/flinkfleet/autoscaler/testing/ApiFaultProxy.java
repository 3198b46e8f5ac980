package dev.flinkfleet.autoscaler.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP proxy between a fabric8 client and the mock API server that answers chosen requests itself,
 * the way a real API server does under load or failure: 429 with {@code Retry-After}, 500/503 with a
 * {@code Status} body, or runs an action (another writer, a delete) just before forwarding. Everything else is
 * forwarded unchanged. For plain request/response calls (get, patch); watches go to the server directly.
 */
public final class ApiFaultProxy implements AutoCloseable {

    /** What the proxy does with a matching request. */
    public sealed interface Fault permits Status, Before {
    }

    /** Answer with this HTTP status and a Kubernetes Status body instead of forwarding. */
    public record Status(int code, String reason) implements Fault {
    }

    /** Run {@code action} (e.g. change the object with another client), then forward. */
    public record Before(Runnable action) implements Fault {
    }

    /** A fault for requests matching {@code when} (method, path), applied to at most {@code times} of them. */
    private record Rule(BiPredicate<String, String> when, String bodyPart, Fault fault, AtomicInteger left) {
    }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

    private final URI upstream;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger injected = new AtomicInteger();

    private ApiFaultProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a proxy to {@code upstream} (e.g. {@code http://127.0.0.1:1234/}). */
    public static ApiFaultProxy start(String upstream) throws IOException {
        return new ApiFaultProxy(URI.create(upstream.endsWith("/") ? upstream.substring(0, upstream.length() - 1) : upstream));
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Applies {@code fault} to the next {@code times} requests with this method whose path ends with {@code pathPart}. */
    public void on(String method, String pathPart, int times, Fault fault) {
        on(method, pathPart, null, times, fault);
    }

    /** As above, only for requests whose body contains {@code bodyPart} (null = any body). */
    public void on(String method, String pathPart, String bodyPart, int times, Fault fault) {
        rules.add(new Rule((m, p) -> m.equalsIgnoreCase(method) && p.endsWith(pathPart), bodyPart, fault, new AtomicInteger(times)));
    }

    /** Drops every fault and forgets the requests seen. */
    public void clear() {
        rules.clear();
        seen.clear();
        injected.set(0);
    }

    /** "METHOD path" of every request received. */
    public List<String> requests() {
        return List.copyOf(seen);
    }

    /** How many requests were answered with an injected status. */
    public int injected() {
        return injected.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
            seen.add(method + " " + path);
            byte[] body = ex.getRequestBody().readAllBytes();
            for (Rule r : rules) {
                if (r.when().test(method, ex.getRequestURI().getRawPath())
                        && (r.bodyPart() == null || new String(body, StandardCharsets.UTF_8).contains(r.bodyPart()))
                        && r.left().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    if (r.fault() instanceof Status s) {
                        injected.incrementAndGet();
                        status(ex, s);
                        return;
                    }
                    ((Before) r.fault()).action().run();
                    break;
                }
            }
            forward(ex, method, path, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void status(HttpExchange ex, Status s) throws IOException {
        String json = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"" + s.reason()
                + "\",\"reason\":\"" + s.reason() + "\",\"code\":" + s.code() + "}";
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        if (s.code() == 429) {
            ex.getResponseHeaders().add("Retry-After", "0");
        }
        ex.sendResponseHeaders(s.code(), b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private void forward(HttpExchange ex, String method, String path, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(upstream + path)).timeout(Duration.ofSeconds(20))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                h.getValue().forEach(v -> req.header(h.getKey(), v));
            }
        }
        HttpResponse<InputStream> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        byte[] out;
        try (InputStream in = resp.body()) {
            out = in.readAllBytes();
        }
        resp.headers().map().forEach((k, vs) -> {
            if (!HOP_BY_HOP.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) {
                vs.forEach(v -> ex.getResponseHeaders().add(k, v));
            }
        });
        ex.sendResponseHeaders(resp.statusCode(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}

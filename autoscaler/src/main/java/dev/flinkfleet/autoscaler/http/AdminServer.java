package dev.flinkfleet.autoscaler.http;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The daemon's one HTTP endpoint, for probes, scrapes and people: {@code /metrics}, {@code /healthz},
 * {@code /readyz}, {@code /jobs} and {@code /jobs/{namespace}/{name}}. Read-only: only GET and HEAD are served,
 * and no request changes any state. Built on the JDK's HTTP server with a small bounded pool, so a burst of
 * slow clients cannot take threads or memory from the control loop.
 *
 * <p>{@code /metrics} is client_java's exporter handler (content negotiation, OpenMetrics, gzip, {@code name[]}
 * filters). {@code /jobs} at tens of thousands of jobs runs to megabytes: it is streamed, and gzipped when the
 * client accepts it.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final String JSON = "application/json; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String ALLOW = "GET, HEAD";
    /**
     * Requests that may wait for a thread. Beyond that the server's accept thread runs the request itself: the
     * JDK server would leak the connection of a rejected exchange, and running it there slows accepting, which
     * is the back-pressure we want.
     */
    private static final int QUEUE = 64;

    private final InetSocketAddress bind;
    private final int threads;
    private final Health health;
    private final JobBoard board;
    private final MetricsHandler metrics;
    private final ObjectMapper json = mapper();
    private HttpServer server;
    private ThreadPoolExecutor executor;
    private volatile Shards shards;

    /** This replica's share of a sharded fleet, for /jobs. */
    public interface Shards {
        /** The shards held here, e.g. "0,3 of 6"; sent as the X-Flinkfleet-Shards header of /jobs. */
        String held();

        /** Why {@code job} is not on this replica's board (its shard is held elsewhere), or null. */
        String notHere(JobRef job);
    }

    /** Tells /jobs which shards this replica holds (call before {@link #start()}); without it, the whole fleet is here. */
    public void shards(Shards s) {
        this.shards = s;
    }

    /**
     * @param bindAddress host or IP to listen on (e.g. {@code 0.0.0.0} in a pod, {@code 127.0.0.1} in tests)
     * @param port        port; 0 picks a free one (see {@link #port()})
     * @param threads     request threads (&gt;= 1)
     */
    public AdminServer(String bindAddress, int port, int threads, PrometheusRegistry registry, Health health, JobBoard board) {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("admin port must be 0..65535, got " + port);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("admin server threads must be >= 1, got " + threads);
        }
        this.bind = new InetSocketAddress(bindAddress, port);
        if (bind.isUnresolved()) {
            throw new IllegalArgumentException("admin bind address '" + bindAddress + "' does not resolve");
        }
        this.threads = threads;
        this.metrics = new MetricsHandler(Objects.requireNonNull(registry, "registry"));
        this.health = Objects.requireNonNull(health, "health");
        this.board = Objects.requireNonNull(board, "board");
    }

    /** Binds and starts serving. */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("admin server already started");
        }
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "admin-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), tf,
                new ThreadPoolExecutor.CallerRunsPolicy());
        executor.allowCoreThreadTimeOut(true);
        HttpServer s = HttpServer.create(bind, 0);
        s.createContext("/", this::handle);
        s.setExecutor(executor);
        s.start();
        server = s;
        LOG.info("admin server listening on {}", s.getAddress());
    }

    /** The bound port (the real one when 0 was asked for). */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("admin server not started");
        }
        return server.getAddress().getPort();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    // ------------------------------------------------------------------ routing

    private void handle(HttpExchange ex) {
        try {
            String path = ex.getRequestURI().getPath();
            boolean known = path.equals("/metrics") || path.equals("/healthz") || path.equals("/readyz")
                    || path.equals("/jobs") || path.equals("/jobs/") || path.startsWith("/jobs/");
            if (!known) {
                sendJson(ex, 404, error("no such path: " + path + " (try /metrics, /healthz, /readyz, /jobs)"));
                return;
            }
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", ALLOW);
                sendJson(ex, 405, error(method + " not allowed; this server is read-only (" + ALLOW + ")"));
                return;
            }
            switch (path) {
                case "/metrics" -> metrics.handle(ex);
                case "/healthz" -> probe(ex, health.liveness());
                case "/readyz" -> probe(ex, health.readiness());
                case "/jobs", "/jobs/" -> jobs(ex);
                default -> job(ex, path.substring("/jobs/".length()));
            }
        } catch (Exception e) {
            // Usually the client went away mid-body; headers are then gone and the exchange is just closed.
            LOG.debug("admin request {} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
            try {
                sendJson(ex, 500, error("internal error: " + e));
            } catch (Exception ignored) {
                // headers already sent
            }
        } finally {
            ex.close();
        }
    }

    private void probe(HttpExchange ex, Health.Status status) throws IOException {
        sendText(ex, status.ok() ? 200 : 503, status.detail() + "\n");
    }

    private void jobs(HttpExchange ex) throws IOException {
        Map<String, String> q;
        try {
            q = query(ex.getRequestURI().getRawQuery(), List.of("application", "reason"));
        } catch (IllegalArgumentException e) {
            sendJson(ex, 400, error(e.getMessage()));
            return;
        }
        String app = q.get("application");
        ReasonCode reason = null;
        if (q.containsKey("reason")) {
            try {
                reason = ReasonCode.valueOf(q.get("reason").trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                sendJson(ex, 400, error("unknown reason '" + q.get("reason") + "'; known: " + Arrays.toString(ReasonCode.values())));
                return;
            }
        }
        List<JobBoard.JobSummary> out = new ArrayList<>();
        for (JobBoard.JobSummary s : board.summaries()) {
            if ((app == null || app.equals(s.application())) && (reason == null || reason == s.lastReason())) {
                out.add(s);
            }
        }
        ex.getResponseHeaders().set("Content-Type", JSON);
        Shards sh = shards;
        if (sh != null) {
            // Only the jobs of the shards held here are on this board; the header says which.
            ex.getResponseHeaders().set("X-Flinkfleet-Shards", sh.held());
        }
        if (head(ex)) {
            ex.sendResponseHeaders(200, -1);
            return;
        }
        try (OutputStream o = stream(ex, 200)) {
            json.writeValue(o, out);
        }
    }

    private void job(HttpExchange ex, String rest) throws IOException {
        String[] parts = rest.split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            sendJson(ex, 404, error("expected /jobs/{namespace}/{name}, got /jobs/" + rest));
            return;
        }
        JobRef ref;
        try {
            ref = new JobRef(parts[0], parts[1]);
        } catch (IllegalArgumentException e) {
            sendJson(ex, 404, error(e.getMessage()));
            return;
        }
        Optional<JobBoard.JobDetail> d = board.detail(ref);
        Shards sh = shards;
        String elsewhere = d.isEmpty() && sh != null ? sh.notHere(ref) : null;
        if (elsewhere != null) {
            sendJson(ex, 404, error(ref + " is not governed here: " + elsewhere));
            return;
        }
        if (d.isEmpty()) {
            sendJson(ex, 404, error("unknown job " + ref + ": not seen in the last control cycle"));
            return;
        }
        sendJson(ex, 200, json.writeValueAsBytes(d.get()));
    }

    // ------------------------------------------------------------------ responses

    private static boolean head(HttpExchange ex) {
        return ex.getRequestMethod().equals("HEAD");
    }

    /** Headers for a streamed (chunked) body, gzipped when the client accepts it. Caller closes. */
    private static OutputStream stream(HttpExchange ex, int status) throws IOException {
        String enc = ex.getRequestHeaders().getFirst("Accept-Encoding");
        boolean gzip = enc != null && Arrays.stream(enc.split(","))
                .anyMatch(e -> e.trim().toLowerCase(Locale.ROOT).startsWith("gzip"));
        if (gzip) {
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        ex.sendResponseHeaders(status, 0);
        OutputStream body = ex.getResponseBody();
        return gzip ? new GZIPOutputStream(body, 64 * 1024) : new BufferedOutputStream(body, 64 * 1024);
    }

    private void sendJson(HttpExchange ex, int status, byte[] body) throws IOException {
        send(ex, status, JSON, body);
    }

    private void sendText(HttpExchange ex, int status, String body) throws IOException {
        send(ex, status, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        if (head(ex)) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private byte[] error(String message) throws IOException {
        return json.writeValueAsBytes(Map.of("error", message));
    }

    /** Decodes a query string; rejects parameters not in {@code allowed} so a typo does not silently match all. */
    static Map<String, String> query(String raw, List<String> allowed) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException("unknown query parameter '" + k + "'; known: " + allowed);
            }
            out.put(k, v);
        }
        return out;
    }

    /** Instants as ISO-8601 text; non-finite numbers as null (JSON has no NaN). */
    static ObjectMapper mapper() {
        SimpleModule m = new SimpleModule("flinkfleet-admin");
        m.addSerializer(Instant.class, ToStringSerializer.instance);
        JsonSerializer<Double> finiteOrNull = new JsonSerializer<>() {
            @Override
            public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
                if (v == null || !Double.isFinite(v)) {
                    g.writeNull();
                } else {
                    g.writeNumber(v);
                }
            }
        };
        m.addSerializer(Double.class, finiteOrNull);
        m.addSerializer(Double.TYPE, finiteOrNull);
        return new ObjectMapper().registerModule(m).disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }
}

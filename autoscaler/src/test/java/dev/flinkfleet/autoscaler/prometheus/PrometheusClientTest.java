package dev.flinkfleet.autoscaler.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.sun.net.httpserver.HttpServer;

import dev.flinkfleet.autoscaler.prometheus.PrometheusException.Kind;

/** The client against a hand-written fake of the query API (JDK HTTP server). */
class PrometheusClientTest {

    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00.250Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** What the fake server answers next. */
    record Reply(int status, String body, long delayMillis) {
    }

    /** What the fake server received. */
    record Received(String method, String path, String contentType, String authorization, Map<String, String> form) {
    }

    private HttpServer server;
    private java.util.concurrent.ExecutorService executor;
    private volatile Reply reply;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startFake() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization"), decode(body)));
            Reply r = reply;
            try {
                Thread.sleep(r.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(r.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            } catch (IOException clientGone) {
                // the client timed out first
            }
        });
        server.start();
    }

    @AfterEach
    void stopFake() {
        server.stop(0);
        executor.shutdownNow();
    }

    private URI base(String prefix) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + prefix);
    }

    private PrometheusClient client(Duration timeout) {
        return new PrometheusClient(PrometheusClient.Options.of(base(""), timeout), CLOCK);
    }

    @Test
    void postsFormEncodedQueryAtTheClocksTime() {
        reply = new Reply(200, vector("{\"metric\":{\"job_name\":\"a b\"},\"value\":[1714557600.25,\"4\"]}"), 0);
        String promql = "sum by (job_name) (m{operator_name=~\"Source.*\", ns=\"a&b\"})";
        List<InstantSeries> got = client(Duration.ofSeconds(5)).query(promql);

        assertEquals(List.of(new InstantSeries(Map.of("job_name", "a b"), new Sample(4, 1714557600.25))), got);
        Received r = received.get(0);
        assertEquals("POST", r.method());
        assertEquals("/api/v1/query", r.path());
        assertEquals("application/x-www-form-urlencoded", r.contentType());
        assertEquals(promql, r.form().get("query"), "query survives form encoding");
        assertEquals("1714557600.250", r.form().get("time"));
        assertEquals("5000ms", r.form().get("timeout"), "server-side timeout matches ours");
        assertEquals(null, r.authorization());
    }

    @Test
    void keepsPathPrefixAndSendsRangeParameters() {
        reply = new Reply(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"job_name\":\"a\"},\"values\":[[1,\"1\"],[2,\"+Inf\"]]}]}}", 0);
        var c = new PrometheusClient(PrometheusClient.Options.of(base("/prom/"), Duration.ofSeconds(5)), CLOCK);
        List<RangeSeries> got = c.queryRange("m", NOW.minusSeconds(60), NOW, Duration.ofSeconds(15));

        assertEquals(List.of(new Sample(1, 1), new Sample(Double.POSITIVE_INFINITY, 2)), got.get(0).samples());
        Received r = received.get(0);
        assertEquals("/prom/api/v1/query_range", r.path());
        assertEquals("1714557540.250", r.form().get("start"));
        assertEquals("1714557600.250", r.form().get("end"));
        assertEquals("15000ms", r.form().get("step"));
        assertEquals(1, c.requestsSent());
    }

    @Test
    void urlUserInfoIsSentAsBasicAuthAndNeverPrinted() {
        reply = new Reply(200, vector(""), 0);
        URI url = URI.create("http://alice:p%40ss@127.0.0.1:" + server.getAddress().getPort() + "/prom");
        var options = PrometheusClient.Options.of(url, Duration.ofSeconds(5));
        new PrometheusClient(options, CLOCK).query("up");
        Received r = received.get(0);
        assertEquals("/prom/api/v1/query", r.path());
        assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("alice:p@ss".getBytes(StandardCharsets.UTF_8)), r.authorization());
        assertEquals("Options[baseUrl=http://alice:***@127.0.0.1:" + server.getAddress().getPort() + "/prom, timeout=PT5S, "
                + "bearerToken=Optional.empty, bearerTokenFile=Optional.empty]", options.toString());
        var withToken = new PrometheusClient.Options(url, Duration.ofSeconds(5), Optional.of("tok-123"), Optional.empty());
        assertTrue(!withToken.toString().contains("tok-123") && withToken.toString().contains("bearerToken=Optional[***]"), withToken.toString());
    }

    @Test
    void sendsBearerTokenFromSettingOrFile(@TempDir Path dir) throws IOException {
        reply = new Reply(200, vector(""), 0);
        new PrometheusClient(new PrometheusClient.Options(base(""), Duration.ofSeconds(5), Optional.of("s3cret"), Optional.empty()), CLOCK)
                .query("up");
        Path file = dir.resolve("token");
        Files.writeString(file, "from-file\n");
        var fromFile = new PrometheusClient(new PrometheusClient.Options(base(""), Duration.ofSeconds(5), Optional.of("ignored"),
                Optional.of(file)), CLOCK);
        fromFile.query("up");
        Files.writeString(file, "rotated");
        fromFile.query("up");

        assertEquals(List.of("Bearer s3cret", "Bearer from-file", "Bearer rotated"),
                received.stream().map(Received::authorization).toList());
    }

    @Test
    void unreadableTokenFileIsAnIoErrorWithoutSending(@TempDir Path dir) {
        var c = new PrometheusClient(new PrometheusClient.Options(base(""), Duration.ofSeconds(5), Optional.empty(),
                Optional.of(dir.resolve("absent"))), CLOCK);
        PrometheusException e = assertThrows(PrometheusException.class, () -> c.query("up"));
        assertEquals(Kind.IO, e.kind());
        assertTrue(e.getMessage().contains("bearer token"), e.getMessage());
        assertTrue(received.isEmpty());
    }

    record ErrorCase(String name, Reply reply, Kind kind, int status, String messagePart) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ErrorCase> errors() {
        return Stream.of(
                new ErrorCase("400 with the API's error JSON",
                        new Reply(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"query\\\": 1:4: parse error\"}", 0),
                        Kind.HTTP_STATUS, 400, "bad_data: invalid parameter \"query\": 1:4: parse error"),
                new ErrorCase("503 from a proxy in plain text", new Reply(503, "upstream connect error", 0),
                        Kind.HTTP_STATUS, 503, "upstream connect error"),
                new ErrorCase("422 execution error", new Reply(422,
                        "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query processing would load too many samples\"}", 0),
                        Kind.HTTP_STATUS, 422, "execution: query processing would load too many samples"),
                new ErrorCase("200 with status error", new Reply(200,
                        "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out in expression evaluation\"}", 0),
                        Kind.API_ERROR, 0, "timeout: query timed out"),
                new ErrorCase("200 with malformed JSON", new Reply(200, "{\"status\":\"succ", 0),
                        Kind.MALFORMED_RESPONSE, 0, "not JSON"),
                new ErrorCase("no answer within the timeout", new Reply(200, vector(""), 1_500),
                        Kind.TIMEOUT, 0, "no answer in time"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void failuresAreTypedAndNameTheQuery(ErrorCase c) {
        reply = c.reply();
        String promql = "sum by (job_name) (flink_metric)";
        PrometheusException e = assertThrows(PrometheusException.class, () -> client(Duration.ofMillis(300)).query(promql));
        assertEquals(c.kind(), e.kind(), e.getMessage());
        assertEquals(c.status(), e.httpStatus());
        assertEquals(promql, e.query());
        assertTrue(e.getMessage().contains(c.messagePart()), e.getMessage());
        assertTrue(e.getMessage().contains(promql), e.getMessage());
    }

    @Test
    void refusedConnectionIsAnIoError() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        var c = new PrometheusClient(PrometheusClient.Options.of(URI.create("http://127.0.0.1:" + closedPort), Duration.ofSeconds(2)), CLOCK);
        PrometheusException e = assertThrows(PrometheusException.class, () -> c.query("up"));
        assertEquals(Kind.IO, e.kind());
        assertFalse(e.serverMessage().isBlank());
    }

    @Test
    void asyncFailureCarriesTheTypedException() {
        reply = new Reply(500, "boom", 0);
        var f = client(Duration.ofSeconds(5)).queryAsync("up", NOW);
        var e = assertThrows(java.util.concurrent.ExecutionException.class, f::get);
        PrometheusException pe = (PrometheusException) (e.getCause() instanceof PrometheusException ? e.getCause() : e.getCause().getCause());
        assertEquals(500, pe.httpStatus());
    }

    private static Map<String, String> decode(String form) {
        Map<String, String> out = new HashMap<>();
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String vector(String series) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + series + "]}}";
    }
}

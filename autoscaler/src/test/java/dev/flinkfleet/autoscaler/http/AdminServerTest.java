package dev.flinkfleet.autoscaler.http;

import static dev.flinkfleet.autoscaler.http.HttpTestSupport.T0;
import static dev.flinkfleet.autoscaler.http.HttpTestSupport.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.autoscaler.testing.MutableClock;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The admin server over real HTTP on 127.0.0.1, one server for the class, fakes reset before each test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminServerTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock(T0);
    private final AtomicBoolean synced = new AtomicBoolean();
    private final AtomicReference<LeadershipState> leadership = new AtomicReference<>();
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private PrometheusRegistry registry;
    private Health health;
    private JobBoard board;
    private AdminServer server;

    @BeforeAll
    void start() throws IOException {
        registry = new PrometheusRegistry();
        Counter.builder().name("flinkfleet_test_scrapes_total").help("test counter").register(registry).inc(3);
        health = new Health(clock, INTERVAL, 3, synced::get, leadership::get);
        board = new JobBoard(clock);
        server = new AdminServer("127.0.0.1", 0, 2, registry, health, board);
        server.start();

        JobRef j1 = new JobRef("team-a", "clicks");
        JobRef j2 = new JobRef("team-a", "views");
        JobRef j3 = new JobRef("team-b", "fraud");
        // Two cycles, so j1's detail has two entries to order.
        feed(outcome(j1, "payments", T0, 4, 4, ReasonCode.HOLD_IN_RANGE, null),
                outcome(j2, "payments", T0, 2, 2, ReasonCode.HOLD_IN_RANGE, null),
                outcome(j3, "fraud", T0, 3, 3, ReasonCode.HOLD_IN_RANGE, null));
        feed(outcome(j1, "payments", T0.plusSeconds(30), 4, 6, ReasonCode.SCALE_UP_BACKLOG, Actuator.Result.applied("patched 4->6")),
                outcome(j2, "payments", T0.plusSeconds(30), 2, 2, ReasonCode.HOLD_IN_RANGE, null),
                outcome(j3, "fraud", T0.plusSeconds(30), 3, 5, ReasonCode.SCALE_UP_CPU,
                        Actuator.Result.skipped(ReasonCode.HOLD_BUDGET, "fleet budget used")));
    }

    private void feed(JobOutcome... os) {
        for (JobOutcome o : os) {
            board.onJob(o);
        }
        board.onCycle(T0, List.of(os));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        clock.set(T0.plusSeconds(60));
        health.markCycle(clock.instant());
        synced.set(true);
        leadership.set(LeadershipState.LEADER);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    // ------------------------------------------------------------------ /metrics

    @Test
    void metricsServesTheRegistryInPrometheusText() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"), r.headers().toString());
        assertTrue(r.body().contains("flinkfleet_test_scrapes_total 3.0"), r.body());
    }

    @Test
    void metricsHonoursAnOpenMetricsAccept() throws Exception {
        HttpResponse<String> r = get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/openmetrics-text"));
        assertTrue(r.body().contains("flinkfleet_test_scrapes_total 3.0"), r.body());
        assertTrue(r.body().endsWith("# EOF\n"), r.body());
    }

    @Test
    void metricsAreGzippedWhenTheClientAsks() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .header("Accept-Encoding", "gzip").build();
        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElseThrow());
        String body;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(body.contains("flinkfleet_test_scrapes_total 3.0"), body);
    }

    // ------------------------------------------------------------------ probes

    @Test
    void livenessGoesStaleAfterTheAllowedIntervalsAndRecovers() throws Exception {
        HttpResponse<String> ok = get("/healthz");
        assertEquals(200, ok.statusCode());
        assertTrue(ok.body().startsWith("ok"), ok.body());

        clock.advance(Duration.ofSeconds(30)); // exactly 3 x 10 s: still live
        assertEquals(200, get("/healthz").statusCode());

        clock.advance(Duration.ofSeconds(1));
        HttpResponse<String> stale = get("/healthz");
        assertEquals(503, stale.statusCode());
        assertTrue(stale.body().contains("no control cycle finished for 31 s"), stale.body());

        health.markCycle(clock.instant());
        assertEquals(200, get("/healthz").statusCode());
    }

    @Test
    void aStandbyIsLiveWithoutCycles() throws Exception {
        leadership.set(LeadershipState.STANDBY);
        clock.advance(Duration.ofHours(1));
        HttpResponse<String> r = get("/healthz");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("standby"), r.body());
    }

    @Test
    void anOlderMarkDoesNotHideANewerCycle() throws Exception {
        health.markCycle(clock.instant().minusSeconds(600));
        assertEquals(200, get("/healthz").statusCode());
    }

    record ReadyCase(String name, boolean synced, LeadershipState leadership, int status, List<String> says) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ReadyCase> readyCases() {
        return Stream.of(
                new ReadyCase("synced leader", true, LeadershipState.LEADER, 200, List.of("ready", "leader")),
                new ReadyCase("synced standby", true, LeadershipState.STANDBY, 200, List.of("ready", "standby")),
                new ReadyCase("synced, leadership unknown", true, LeadershipState.UNKNOWN, 503, List.of("leadership unknown")),
                new ReadyCase("synced, leadership supplier gives null", true, null, 503, List.of("leadership unknown")),
                new ReadyCase("leader, informers not synced", false, LeadershipState.LEADER, 503, List.of("informers not synced")),
                new ReadyCase("standby, informers not synced", false, LeadershipState.STANDBY, 503, List.of("informers not synced")),
                new ReadyCase("nothing known", false, LeadershipState.UNKNOWN, 503,
                        List.of("informers not synced", "leadership unknown")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readyCases")
    void readiness(ReadyCase c) throws Exception {
        synced.set(c.synced());
        leadership.set(c.leadership());
        HttpResponse<String> r = get("/readyz");
        assertEquals(c.status(), r.statusCode(), r.body());
        for (String s : c.says()) {
            assertTrue(r.body().contains(s), () -> "'" + r.body() + "' should say " + s);
        }
        if (c.status() == 200) {
            assertTrue(!r.body().contains("not"), r.body());
        }
    }

    // ------------------------------------------------------------------ /jobs

    record JobsCase(String name, String query, List<String> jobs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<JobsCase> jobsCases() {
        return Stream.of(
                new JobsCase("no filter, sorted", "", List.of("team-a/clicks", "team-a/views", "team-b/fraud")),
                new JobsCase("by application", "?application=payments", List.of("team-a/clicks", "team-a/views")),
                new JobsCase("by reason", "?reason=SCALE_UP_BACKLOG", List.of("team-a/clicks")),
                new JobsCase("reason is case-insensitive", "?reason=hold_in_range", List.of("team-a/views")),
                new JobsCase("actuator's reason counts", "?reason=HOLD_BUDGET", List.of("team-b/fraud")),
                new JobsCase("decision reason overridden by the actuator", "?reason=SCALE_UP_CPU", List.of()),
                new JobsCase("both filters", "?application=payments&reason=HOLD_IN_RANGE", List.of("team-a/views")),
                new JobsCase("unknown application", "?application=nope", List.of()),
                new JobsCase("trailing slash", "/", List.of("team-a/clicks", "team-a/views", "team-b/fraud")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobsCases")
    void jobsFilters(JobsCase c) throws Exception {
        HttpResponse<String> r = get("/jobs" + c.query());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        JsonNode list = json.readTree(r.body());
        List<String> names = new ArrayList<>();
        list.forEach(n -> names.add(n.get("namespace").asText() + "/" + n.get("name").asText()));
        assertEquals(c.jobs(), names);
    }

    @Test
    void jobsListCarriesTheDocumentedFields() throws Exception {
        JsonNode list = json.readTree(get("/jobs?application=payments").body());
        JsonNode clicks = list.get(0);
        Set<String> fields = new TreeSet<>();
        clicks.fieldNames().forEachRemaining(fields::add);
        assertEquals(new TreeSet<>(Set.of("namespace", "name", "application", "policy", "currentWorkers", "desiredWorkers",
                "lastReason", "signalQuality", "lastDecisionAt", "lastReasonDetail")), fields);
        assertEquals("backlog-drain", clicks.get("policy").asText());
        assertEquals(4, clicks.get("currentWorkers").asInt());
        assertEquals(6, clicks.get("desiredWorkers").asInt());
        assertEquals("SCALE_UP_BACKLOG", clicks.get("lastReason").asText());
        assertEquals("FRESH", clicks.get("signalQuality").asText());
        assertEquals(T0.plusSeconds(30).toString(), clicks.get("lastDecisionAt").asText());
    }

    record BadQuery(String name, String query, String says) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadQuery> badQueries() {
        return Stream.of(
                new BadQuery("unknown reason", "?reason=SCALE_SIDEWAYS", "unknown reason 'SCALE_SIDEWAYS'"),
                new BadQuery("misspelt parameter", "?app=payments", "unknown query parameter 'app'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badQueries")
    void badFiltersAreRefusedWithAReason(BadQuery c) throws Exception {
        HttpResponse<String> r = get("/jobs" + c.query());
        assertEquals(400, r.statusCode());
        assertTrue(json.readTree(r.body()).get("error").asText().contains(c.says()), r.body());
    }

    @Test
    void jobDetailShowsSignalsPolicyAndDecisionsNewestFirst() throws Exception {
        HttpResponse<String> r = get("/jobs/team-a/clicks");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode n = json.readTree(r.body());
        assertEquals("payments", n.get("application").asText());
        assertEquals("backlog-drain", n.get("policy").asText());
        assertEquals("FRESH", n.at("/signals/values/cpu/quality").asText());
        assertEquals(3.0, n.at("/signals/values/cpu/ageSeconds").asDouble());
        JsonNode ds = n.get("decisions");
        assertEquals(2, ds.size());
        assertEquals("SCALE_UP_BACKLOG", ds.get(0).get("reason").asText());
        assertEquals("APPLIED", ds.get(0).get("outcome").asText());
        assertEquals("HOLD_IN_RANGE", ds.get(1).get("reason").asText());
        assertTrue(ds.get(1).get("outcome").isNull());
    }

    record NotFound(String name, String path, String says) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<NotFound> notFound() {
        return Stream.of(
                new NotFound("unknown job", "/jobs/team-a/nope", "unknown job team-a/nope"),
                new NotFound("namespace only", "/jobs/team-a", "expected /jobs/{namespace}/{name}"),
                new NotFound("too deep", "/jobs/team-a/clicks/extra", "expected /jobs/{namespace}/{name}"),
                new NotFound("unknown path", "/admin", "no such path: /admin"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notFound")
    void unknownThingsAre404WithAJsonError(NotFound c) throws Exception {
        HttpResponse<String> r = get(c.path());
        assertEquals(404, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertTrue(json.readTree(r.body()).get("error").asText().contains(c.says()), r.body());
    }

    // ------------------------------------------------------------------ methods

    record MethodCase(String name, String method, String path) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<MethodCase> writeMethods() {
        return Stream.of(
                new MethodCase("POST /jobs", "POST", "/jobs"),
                new MethodCase("DELETE a job", "DELETE", "/jobs/team-a/clicks"),
                new MethodCase("PUT /healthz", "PUT", "/healthz"),
                new MethodCase("POST /metrics", "POST", "/metrics"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writeMethods")
    void onlyReadsAreAllowed(MethodCase c) throws Exception {
        int before = board.size();
        HttpResponse<String> r = send(c.method(), c.path());
        assertEquals(405, r.statusCode());
        assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElseThrow());
        assertEquals(before, board.size());
    }

    @Test
    void headAnswersWithoutABody() throws Exception {
        HttpResponse<String> r = send("HEAD", "/jobs");
        assertEquals(200, r.statusCode());
        assertEquals("", r.body());
        synced.set(false);
        HttpResponse<String> notReady = send("HEAD", "/readyz");
        assertEquals(503, notReady.statusCode(), "HEAD keeps the probe's status");
        assertEquals("", notReady.body());
    }
}

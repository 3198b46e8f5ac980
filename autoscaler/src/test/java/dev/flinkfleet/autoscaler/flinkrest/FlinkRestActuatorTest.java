package dev.flinkfleet.autoscaler.flinkrest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;

/**
 * The flink-rest actuator's bad-input table against a stand-in JobManager on loopback: every failure is a hold
 * whose detail names the endpoint, never an exception, and nothing is written unless it is safe.
 */
class FlinkRestActuatorTest {

    private static final JobRef JOB = new JobRef("sessions", "orders");
    private static final String REQ = "/jobs/" + FakeFlinkRest.JOB_ID + "/resource-requirements";
    private static final String JOB_PATH = "/jobs/" + FakeFlinkRest.JOB_ID;

    private FakeFlinkRest flink;

    @BeforeEach
    void start() throws IOException {
        flink = new FakeFlinkRest();
    }

    @AfterEach
    void stop() {
        flink.close();
    }

    /** One row: how the endpoint misbehaves, the decision, and the hold expected. */
    record Case(String name, Consumer<FakeFlinkRest> setup, int from, int to, ReasonCode reason, String detail) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> holds() {
        String adaptiveOnly = "{\"errors\":[\"Internal server error.\",\"<Exception on server side:\\njava.lang.UnsupportedOperationException: "
                + "The DefaultScheduler does not support changing the parallelism without a job restart.\\n\\tat ...>\"]}";
        return Stream.of(
                new Case("job vanished (404 on the job)", f -> f.answer("GET " + JOB_PATH, 404, "{\"errors\":[\"Job could not be found.\"]}"),
                        2, 4, ReasonCode.HOLD_UNSAFE_STATE, "answered HTTP 404 to GET " + JOB_PATH + ": Job could not be found."),
                new Case("scheduler refuses resource requirements (500)", f -> f.answer("GET " + REQ, 500, adaptiveOnly),
                        2, 4, ReasonCode.HOLD_UNSAFE_STATE,
                        "answered HTTP 500 to GET " + REQ + ": Internal server error.; java.lang.UnsupportedOperationException: The DefaultScheduler does not support"),
                new Case("conflict on the write (409)", f -> f.answer("PUT " + REQ, 409, "{\"errors\":[\"job is not running\"]}"),
                        2, 4, ReasonCode.HOLD_UNSAFE_STATE, "answered HTTP 409 to PUT " + REQ + ": job is not running"),
                new Case("JobManager unavailable (503), after a retry", f -> f.answer("GET " + JOB_PATH, 503, "{\"errors\":[\"leader changing\"]}"),
                        2, 4, ReasonCode.HOLD_BACKEND_UNAVAILABLE, "answered HTTP 503"),
                new Case("unreadable answer", f -> f.answer("GET " + REQ, 200, "<html>proxy</html>"),
                        2, 4, ReasonCode.HOLD_ERROR, "unreadable answer"),
                new Case("job restarting", f -> f.jobState = "RESTARTING",
                        2, 4, ReasonCode.HOLD_UNSAFE_STATE, "job state is RESTARTING, need RUNNING"),
                new Case("vertex still deploying", f -> f.vertexStatus = "DEPLOYING",
                        2, 4, ReasonCode.HOLD_UNSAFE_STATE, "is DEPLOYING, need RUNNING"),
                new Case("rescale in progress", f -> f.requirements = FakeFlinkRest.requirements(3),
                        2, 4, ReasonCode.HOLD_UNSAFE_STATE, "rescale in progress"),
                new Case("requirements changed under us", f -> {
                    f.requirements = FakeFlinkRest.requirements(3);
                    f.running = 3;
                }, 2, 4, ReasonCode.HOLD_UNSAFE_STATE, "they ask for parallelism 3, the decision was made for 2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("holds")
    void holdsNamingTheEndpoint(Case c) {
        c.setup().accept(flink);
        Actuator.Result r = actuator(flink.url()).apply(decision(c.from(), c.to()));

        assertEquals(Actuator.Outcome.SKIPPED, r.outcome(), r.toString());
        assertEquals(c.reason(), r.reason(), r.detail());
        assertTrue(r.detail().contains("Flink REST endpoint 'sessions' (" + flink.url() + ")"), r.detail());
        assertTrue(r.detail().contains(c.detail()), r.detail());
        if (!c.name().contains("write")) {
            assertEquals(0, flink.puts(), "nothing written: " + flink.requests);
        }
    }

    @Test
    void unreachableEndpointHoldsAsBackendUnavailable() throws IOException {
        URI closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        Actuator.Result r = actuator(closed).apply(decision(2, 4));
        assertEquals(ReasonCode.HOLD_BACKEND_UNAVAILABLE, r.reason(), r.detail());
        assertTrue(r.detail().contains("Flink REST endpoint 'sessions' (" + closed + ") unreachable"), r.detail());
    }

    @Test
    void retriesAReadOnceWhenUnavailable() {
        flink.answer("GET " + JOB_PATH, 503, "{\"errors\":[\"leader changing\"]}");
        actuator(flink.url()).apply(decision(2, 4));
        assertEquals(2, flink.requests.stream().filter(r -> r.equals("GET " + JOB_PATH)).count(), flink.requests.toString());
    }

    @Test
    void writesEveryVertexsUpperBoundAndReadsItBack() {
        Actuator.Result r = actuator(flink.url()).apply(decision(2, 5));
        assertEquals(Actuator.Outcome.APPLIED, r.outcome(), r.toString());
        assertEquals(FakeFlinkRest.requirements(5).replace(" ", ""), flink.requirements.replace(" ", ""));
        assertEquals(List.of("GET " + JOB_PATH, "GET " + REQ, "PUT " + REQ, "GET " + REQ), flink.requests);
    }

    @Test
    void aConcurrentWriteSeenOnReadBackIsAHold() {
        flink.afterPut = FakeFlinkRest.requirements(7);
        Actuator.Result r = actuator(flink.url()).apply(decision(2, 5));
        assertEquals(ReasonCode.HOLD_UNSAFE_STATE, r.reason(), r.detail());
        assertTrue(r.detail().contains("changed at the same time as our write (now ask for 7)"), r.detail());
    }

    @Test
    void dryRunWritesNothing() {
        Actuator.Result r = new FlinkRestActuator(ref -> restJob(flink.url()), true, () -> true).apply(decision(2, 5));
        assertEquals(Actuator.Outcome.DRY_RUN, r.outcome(), r.toString());
        assertEquals(0, flink.puts());
    }

    @Test
    void undiscoveredJobAndLostLeadershipHold() {
        Actuator.Result none = new FlinkRestActuator(ref -> null, false, () -> true).apply(decision(2, 4));
        assertEquals(ReasonCode.HOLD_ERROR, none.reason());
        assertTrue(none.detail().contains("flinkfleet.flink-rest.clusters"), none.detail());
        Actuator.Result follower = new FlinkRestActuator(ref -> restJob(flink.url()), false, () -> false).apply(decision(2, 4));
        assertEquals(ReasonCode.HOLD_UNSAFE_STATE, follower.reason());
        assertTrue(flink.requests.isEmpty(), flink.requests.toString());
    }

    @Test
    void discoveryNamesJobsByClusterAndNameAndReportsAnUnreachableEndpoint() throws IOException {
        URI closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        FlinkRestDiscovery d = new FlinkRestDiscovery(List.of(client("sessions", flink.url()), client("gone", closed)));
        FlinkRestDiscovery.Round r = d.discover();
        RestJob j = r.jobs().get(JOB);
        assertEquals(FakeFlinkRest.JOB_ID, j.jobId());
        assertEquals(2, j.parallelism());
        assertEquals(List.of(FakeFlinkRest.SOURCE, FakeFlinkRest.MAP), j.vertexIds());
        assertEquals(1, r.jobs().size());
        assertTrue(r.failures().get("gone").contains("Flink REST endpoint 'gone' (" + closed + ") unreachable"), r.failures().toString());
        assertNull(d.job(new JobRef("gone", "orders")));
    }

    @Test
    void discoveryLeavesOutJobsThatAreNotRunningAndTwinNames() {
        flink.answer("GET /jobs/overview", 200, "{\"jobs\":["
                + "{\"jid\":\"a1\",\"name\":\"twin\",\"state\":\"RUNNING\"},{\"jid\":\"a2\",\"name\":\"twin\",\"state\":\"RUNNING\"},"
                + "{\"jid\":\"a3\",\"name\":\"old\",\"state\":\"FINISHED\"}]}");
        FlinkRestDiscovery.Round r = new FlinkRestDiscovery(List.of(client("sessions", flink.url()))).discover();
        assertTrue(r.jobs().isEmpty(), r.jobs().toString());
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertTrue(r.problems().get(0).contains("2 running jobs are named 'twin' ([a1, a2])"), r.problems().toString());
    }

    private static FlinkRestClient client(String name, URI url) {
        return new FlinkRestClient(name, url, Duration.ofSeconds(2), 2, Duration.ofMillis(10));
    }

    private static RestJob restJob(URI url) {
        return new RestJob(JOB, client("sessions", url), FakeFlinkRest.JOB_ID, 2, List.of(FakeFlinkRest.SOURCE, FakeFlinkRest.MAP));
    }

    private FlinkRestActuator actuator(URI url) {
        return new FlinkRestActuator(ref -> ref.equals(JOB) ? restJob(url) : null, false, () -> true);
    }

    static Decision decision(int from, int to) {
        return decision(JOB, from, to);
    }

    static Decision decision(JobRef job, int from, int to) {
        ReasonCode reason = to > from ? ReasonCode.SCALE_UP_BACKLOG : ReasonCode.SCALE_DOWN_CPU;
        return new Decision(job, Instant.parse("2026-11-30T06:00:00Z"), from, to,
                new Recommendation(to, reason, "test", Map.of()), reason, List.of(), Quality.FRESH, GovernorState.empty());
    }
}

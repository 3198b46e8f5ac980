package dev.flinkfleet.autoscaler.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.autoscaler.testing.ApiFaultProxy;
import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.autoscaler.testing.MutableClock;
import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.ControlLoop;
import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobPlan;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.SignalSource;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.policies.builtin.LagThresholdPolicy;
import dev.flinkfleet.policies.governor.DefaultGovernor;
import dev.flinkfleet.policies.governor.GovernorConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/**
 * The Kubernetes rows of the fault matrix (docs/reliability.md), through the production loop, governor, actuator
 * and annotation state store against the CRUD mock API server with the operator's CRD. A loopback proxy between
 * the daemon's client and the server answers chosen requests the way a real API server does (409 from another
 * writer, 429, 5xx, a delete or a status change just before the request). Signals come from a small in-test
 * source (backlog per job, size read from the server), so each row isolates the API fault.
 *
 * <p>Every row asserts: no wrong-direction rescale (all jobs here only ever need to grow, so any applied
 * scale-down is wrong, and none may happen on missing or failed data), no exception escapes
 * {@link ControlLoop#runCycle}, and the bystander job {@code b} is still decided and scaled.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesFaultMatrixTest {

    static KubernetesClient client;
    static ApiFaultProxy proxy;
    /** The daemon's client: through the fault proxy, with fabric8's retry on 429/5xx shortened for the test. */
    static KubernetesClient daemonClient;
    private static final AtomicInteger NS = new AtomicInteger();
    /** Applied rescales against the direction the data asked for, over the whole class. */
    static final AtomicInteger WRONG_DIRECTION = new AtomicInteger();

    private String ns;
    private MutableClock clock;
    /** Backlog per job name; absent = missing signal. */
    private final Map<String, Double> backlog = new ConcurrentHashMap<>();
    private final List<String> jobs = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        FlinkDeploymentFixtures.installCrd(client);
        proxy = ApiFaultProxy.start(client.getMasterUrl().toString());
        Config c = new ConfigBuilder(Config.empty()).withMasterUrl(proxy.url()).withRequestRetryBackoffLimit(2)
                .withRequestRetryBackoffInterval(5).build();
        daemonClient = new KubernetesClientBuilder().withConfig(c).build();
    }

    @AfterAll
    static void stop() {
        daemonClient.close();
        proxy.close();
        System.out.println("KubernetesFaultMatrixTest: wrong-direction rescales observed: " + WRONG_DIRECTION.get());
    }

    @BeforeEach
    void fleet() {
        ns = "kfault-" + NS.incrementAndGet();
        clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
        proxy.clear();
        for (String j : List.of("a", "b")) {
            FlinkDeploymentFixtures.deployment(ns, j).replicas(3).create(client);
            jobs.add(j);
            backlog.put(j, 500.0); // 500 / 100 per worker = 5 workers
        }
    }

    /** One daemon process: its own state store (reading annotations from the server) and control loop. */
    private final class Process {
        final AnnotationStateStore store;
        final ControlLoop loop;
        final List<JobPlan> plans;

        Process(AtomicBoolean leader) {
            DeploymentAccess api = DeploymentAccess.of(daemonClient);
            // Annotations are read from the server directly (the daemon reads them from its informer), so the
            // only calls through the proxy are the actuator's read and the patches.
            store = new AnnotationStateStore(api, j -> view(j.name()), clock, Duration.ofMinutes(5));
            FlinkDeploymentActuator actuator = new FlinkDeploymentActuator(api, ActuatorSettings.defaults(), () -> { }, leader::get);
            loop = new ControlLoop(clock, source(), actuator, store, new CycleListener() {
            });
            GovernorConfig g = new GovernorConfig(1, 10, 2, false, false, 0, Duration.ofMinutes(5), Duration.ofMinutes(5),
                    Duration.ofMinutes(10), 0, 1.0, Duration.ofMinutes(5));
            plans = jobs.stream().map(j -> new JobPlan(new JobRef(ns, j), "fault", new LagThresholdPolicy(100), new DefaultGovernor(g))).toList();
        }

        Process() {
            this(new AtomicBoolean(true));
        }

        /** Runs one cycle (an exception escaping it fails the test) and counts wrong-direction rescales. */
        Map<String, JobOutcome> cycle() {
            List<JobOutcome> out = loop.runCycle(plans);
            for (JobOutcome o : out) {
                if (o.applied() && o.decision().targetWorkers() < o.decision().currentWorkers()) {
                    WRONG_DIRECTION.incrementAndGet();
                }
            }
            return out.stream().collect(Collectors.toMap(o -> o.plan().job().name(), o -> o));
        }
    }

    private SignalSource source() {
        return new SignalSource() {
            @Override
            public Map<JobRef, Signals> collect(Collection<JobRef> refs, Instant now) {
                Map<JobRef, Signals> m = new LinkedHashMap<>();
                for (JobRef j : refs) {
                    FlinkDeploymentView v = view(j.name());
                    int workers = v == null ? 3 : v.taskManagerReplicas();
                    Signals.Builder b = Signals.builder(j, now).workers(workers).parallelism(workers * 2);
                    Double lag = backlog.get(j.name());
                    if (lag != null) {
                        b.fresh(SignalKind.BACKLOG, lag);
                    }
                    m.put(j, b.build());
                }
                return m;
            }
        };
    }

    private FlinkDeploymentView view(String name) {
        GenericKubernetesResource r = client.genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(ns).withName(name).get();
        return r == null ? null : FlinkDeploymentView.of(r);
    }

    private int replicas(String name) {
        return view(name).taskManagerReplicas();
    }

    private String path(String name) {
        return "/namespaces/" + ns + "/flinkdeployments/" + name;
    }

    /** Another writer: changes the object on the server (not through the proxy). */
    private void edit(String name, Consumer<Map<String, Object>> change, boolean status) {
        var op = client.genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(ns).withName(name);
        GenericKubernetesResource r = op.get();
        @SuppressWarnings("unchecked")
        Map<String, Object> part = (Map<String, Object>) r.getAdditionalProperties().get(status ? "status" : "spec");
        change.accept(part);
        if (status) {
            client.genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(ns).resource(r).updateStatus();
        } else {
            GenericKubernetesResource updated = client.genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(ns).resource(r).update();
            // The operator reconciles the change at once and records it.
            @SuppressWarnings("unchecked")
            Map<String, Object> st = (Map<String, Object>) updated.getAdditionalProperties().get("status");
            st.put("observedGeneration", updated.getMetadata().getGeneration());
            client.genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(ns).resource(updated).updateStatus();
        }
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, String value, String... path) {
        Map<String, Object> m = root;
        for (int i = 0; i < path.length - 1; i++) {
            m = (Map<String, Object>) m.computeIfAbsent(path[i], k -> new LinkedHashMap<>());
        }
        m.put(path[path.length - 1], value);
    }

    private static void assertBystanderScaled(Map<String, JobOutcome> out) {
        JobOutcome b = out.get("b");
        assertTrue(b.applied(), "the other job keeps being decided and scaled: " + b.decision().summary() + " " + b.result());
        assertEquals(5, b.decision().targetWorkers());
    }

    private static String why(JobOutcome o) {
        return (o.decision() == null ? "no decision" : o.decision().summary()) + " / " + o.result() + " / " + o.error();
    }

    @Test
    void conflictFromAnotherWriterBetweenReadAndPatchIsNotOverwritten() {
        // Just before our patch reaches the server, someone else resizes the job to 4: our patch names the old
        // resourceVersion, the server answers 409, the re-read shows a new size, and we stand back.
        proxy.on("PATCH", path("a"), 1, new ApiFaultProxy.Before(() -> edit("a", spec -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> tm = (Map<String, Object>) spec.get("taskManager");
            tm.put("replicas", 4);
        }, false)));
        Process p = new Process();
        Map<String, JobOutcome> out = p.cycle();

        JobOutcome a = out.get("a");
        assertFalse(a.applied(), why(a));
        assertEquals(ReasonCode.HOLD_UNSAFE_STATE, a.result().reason(), why(a));
        assertTrue(a.result().detail().contains("changed by another writer"), a.result().detail());
        assertEquals(4, replicas("a"), "the other writer's size stands");
        assertBystanderScaled(out);

        // Next cycle decides from the new size and scales once.
        JobOutcome again = p.cycle().get("a");
        assertEquals(4, again.decision().currentWorkers());
        assertTrue(again.applied(), why(again));
        assertEquals(5, replicas("a"));
    }

    @Test
    void tooManyRequestsIsRetriedAndAppliedOnce() {
        proxy.on("PATCH", path("a"), 1, new ApiFaultProxy.Status(429, "TooManyRequests"));
        long genBefore = view("a").generation();
        Map<String, JobOutcome> out = new Process().cycle();

        assertEquals(1, proxy.injected(), proxy.requests().toString());
        JobOutcome a = out.get("a");
        assertTrue(a.applied(), why(a));
        assertEquals(5, replicas("a"));
        assertEquals(genBefore + 1, view("a").generation(), "one spec change, not two");
        assertBystanderScaled(out);
    }

    record ServerError(String name, String method, int code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ServerError> serverErrors() {
        return Stream.of(
                new ServerError("500 on every patch", "PATCH", 500),
                new ServerError("503 on every patch", "PATCH", 503),
                new ServerError("500 on the read before the patch", "GET", 500),
                new ServerError("429 past the client's retries", "PATCH", 429));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serverErrors")
    void serverErrorsHoldTheJobUntilTheServerRecovers(ServerError c) {
        proxy.on(c.method(), path("a"), 100, new ApiFaultProxy.Status(c.code(), "ServerError"));
        Process p = new Process();
        Map<String, JobOutcome> out = p.cycle();

        JobOutcome a = out.get("a");
        assertFalse(a.applied(), why(a));
        assertEquals(Actuator.Outcome.FAILED, a.result().outcome(), why(a));
        assertEquals(ReasonCode.HOLD_ERROR, a.result().reason());
        assertTrue(a.result().detail().contains(String.valueOf(c.code())), a.result().detail());
        assertEquals(3, replicas("a"));
        assertEquals(3, proxy.injected(), "first try and fabric8's 2 retries: " + proxy.requests());
        assertBystanderScaled(out);

        proxy.clear();
        JobOutcome healed = p.cycle().get("a");
        assertTrue(healed.applied(), why(healed));
        assertEquals(5, replicas("a"));
    }

    @Test
    void deletedWhileBeingDecidedIsSkippedAndNotRecreated() {
        // Deleted after the decision, just before the patch: the patch gets 404.
        proxy.on("PATCH", path("a"), 1, new ApiFaultProxy.Before(() ->
                client.genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(ns).withName("a").delete()));
        Process p = new Process();
        Map<String, JobOutcome> out = p.cycle();

        JobOutcome a = out.get("a");
        assertFalse(a.applied(), why(a));
        assertEquals(ReasonCode.HOLD_UNSAFE_STATE, a.result().reason(), why(a));
        assertNull(view("a"), "not recreated by the patch or by the state store's write");
        assertBystanderScaled(out);

        // Still in the plans next cycle (the informer is a moment late): the re-read finds nothing.
        JobOutcome later = p.cycle().get("a");
        assertFalse(later.applied(), why(later));
        assertNull(view("a"), "still not recreated");
    }

    record StateChange(String name, String value, String... path) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<StateChange> stateChanges() {
        return Stream.of(
                new StateChange("lifecycle UPGRADING", "UPGRADING", "lifecycleState"),
                new StateChange("lifecycle ROLLING_BACK", "ROLLING_BACK", "lifecycleState"),
                new StateChange("lifecycle FAILED", "FAILED", "lifecycleState"),
                new StateChange("job FAILED", "FAILED", "jobStatus", "state"),
                new StateChange("job RESTARTING", "RESTARTING", "jobStatus", "state"),
                new StateChange("reconciliation UPGRADING", "UPGRADING", "reconciliationStatus", "state"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stateChanges")
    void jobLeavingTheSafeStateBetweenDecisionAndPatchIsNotPatched(StateChange c) {
        // The operator moves the job just after the decision; the actuator's fresh read must see it.
        proxy.on("GET", path("a"), 1, new ApiFaultProxy.Before(() -> edit("a", status -> put(status, c.value(), c.path()), true)));
        long genBefore = view("a").generation();
        Map<String, JobOutcome> out = new Process().cycle();

        JobOutcome a = out.get("a");
        assertTrue(a.decision().changes(), "decided to scale from the old state: " + why(a));
        assertFalse(a.applied(), why(a));
        assertEquals(ReasonCode.HOLD_UNSAFE_STATE, a.result().reason(), why(a));
        assertTrue(a.result().detail().contains(c.value()), a.result().detail());
        assertEquals(3, replicas("a"));
        assertEquals(genBefore, view("a").generation(), "no spec patch at all");
        assertBystanderScaled(out);
    }

    @Test
    void leadershipLostAfterTheDecisionStopsThePatch() {
        AtomicBoolean leader = new AtomicBoolean(true);
        // The lease is lost while the cycle runs: after the decision for a, before its patch (b, less urgent at
        // the same target, comes after a in the actuation order and must not be patched either).
        backlog.put("a", 900.0);
        proxy.on("GET", path("a"), 1, new ApiFaultProxy.Before(() -> leader.set(false)));
        Map<String, JobOutcome> out = new Process(leader).cycle();

        for (String j : List.of("a", "b")) {
            JobOutcome o = out.get(j);
            assertTrue(o.decision().changes(), why(o));
            assertFalse(o.applied(), why(o));
            assertTrue(o.result().detail().contains("no longer the leader"), o.result().detail());
            assertEquals(3, replicas(j));
        }
        assertFalse(proxy.requests().stream().anyMatch(r -> r.startsWith("PATCH")), "no patch of any kind: " + proxy.requests());
    }

    @Test
    void killedBetweenDecisionAndPatchThenRestartedRescalesOnce() {
        // Process one decides both; a's patch never lands (the process dies: every try fails), b's does.
        proxy.on("PATCH", path("a"), 100, new ApiFaultProxy.Status(503, "ServiceUnavailable"));
        Map<String, JobOutcome> first = new Process().cycle();
        assertFalse(first.get("a").applied());
        assertBystanderScaled(first);
        // Killed: no flush, in-memory state gone.

        proxy.clear();
        clock.advance(Duration.ofSeconds(30));
        backlog.put("b", 800.0); // b would now want 8 workers: its scale-up cooldown (from the annotation) must hold it
        Process restarted = new Process();
        Map<String, JobOutcome> second = restarted.cycle();
        assertTrue(second.get("a").applied(), why(second.get("a")));
        assertEquals(5, replicas("a"));
        assertEquals(ReasonCode.HOLD_COOLDOWN, second.get("b").decision().reason(), why(second.get("b")));
        assertEquals(5, replicas("b"), "no double rescale after the restart");

        // And stabilisation survives: with the backlog gone, no scale-down inside the window.
        clock.advance(Duration.ofMinutes(6));
        backlog.put("a", 0.0);
        backlog.put("b", 0.0);
        Map<String, JobOutcome> third = new Process().cycle();
        for (String j : List.of("a", "b")) {
            assertFalse(third.get(j).applied(), why(third.get(j)));
            assertEquals(5, replicas(j));
        }
    }

    @Test
    void killedBetweenRescaleAndStateWriteKeepsTheCooldown() {
        // The state store's own annotation write fails (the process dies right after the rescale): the cooldown
        // must already be on the object, written by the rescale patch itself.
        proxy.on("PATCH", path("b"), "{\"metadata\":{\"annotations\"", 100, new ApiFaultProxy.Status(500, "InternalError"));
        Map<String, JobOutcome> first = new Process().cycle();
        assertBystanderScaled(first);
        assertTrue(proxy.injected() > 0, "the state write was attempted and failed: " + proxy.requests());
        String ann = view("b").governorStateAnnotation();
        assertNotNull(ann, "governor state written with the rescale");
        GovernorState s = AnnotationStateStore.parse(new JobRef(ns, "b"), ann);
        assertEquals(clock.instant(), s.lastScaleUpAt());

        proxy.clear();
        clock.advance(Duration.ofSeconds(30));
        backlog.put("b", 800.0);
        JobOutcome b = new Process().cycle().get("b");
        assertEquals(ReasonCode.HOLD_COOLDOWN, b.decision().reason(), why(b));
        assertEquals(5, replicas("b"), "no double rescale");
    }
}

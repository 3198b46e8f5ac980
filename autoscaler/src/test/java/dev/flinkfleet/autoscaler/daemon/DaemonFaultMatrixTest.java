package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.autoscaler.kubernetes.EventRecorder;
import dev.flinkfleet.autoscaler.testing.MockApiServer;
import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.testkit.EmbeddedKafka;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

/**
 * Fault-matrix rows (docs/reliability.md) that need the whole daemon: a real embedded Kafka broker for the lag,
 * the CRUD mock API server with the operator's CRD, leader election on a real Lease, the informer, the budget,
 * events and the annotation state store. Every row asserts no wrong-direction rescale (counted over the class),
 * that no exception escapes a cycle (runCycleNow returns), and that the other jobs are still decided.
 */
class DaemonFaultMatrixTest {

    static final String NS = "fault";
    /** As many partitions as the most workers, so the partition bound never caps a target here. */
    static final int PARTITIONS = 8;
    static EmbeddedKafka kafka;
    static final AtomicInteger WRONG_DIRECTION = new AtomicInteger();

    MockApiServer api;
    KubernetesClient client;
    @TempDir
    Path dir;
    final List<Daemon> daemons = new ArrayList<>();
    final List<KubernetesClient> clients = new ArrayList<>();

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
        System.out.println("DaemonFaultMatrixTest: wrong-direction rescales observed: " + WRONG_DIRECTION.get());
    }

    @BeforeEach
    void crd() {
        api = MockApiServer.start();
        client = api.client();
    }

    @AfterEach
    void closeDaemons() {
        daemons.forEach(Daemon::close);
        clients.forEach(KubernetesClient::close);
        api.close();
    }

    /** A job: its name, the lag on its one partition, and its annotations. */
    record Job(String name, int lag, Map<String, String> annotations) {
        Job(String name, int lag) {
            this(name, lag, Map.of());
        }
    }

    /** Creates each job's topic, commits its group at 0, produces its lag, creates its FlinkDeployment. */
    private void jobs(List<Job> jobs) {
        jobs(jobs, PARTITIONS);
    }

    private void jobs(List<Job> jobs, int partitions) {
        List<String> topics = jobs.stream().map(j -> j.name() + "-in").toList();
        kafka.createTopics(topics, partitions);
        Map<String, Map<TopicPartition, Long>> commits = new HashMap<>();
        Map<TopicPartition, Integer> records = new HashMap<>();
        for (Job j : jobs) {
            Map<TopicPartition, Long> zero = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                TopicPartition tp = new TopicPartition(j.name() + "-in", p);
                zero.put(tp, 0L);
                int share = j.lag() / partitions + (p < j.lag() % partitions ? 1 : 0);
                if (share > 0) {
                    records.put(tp, share);
                }
            }
            commits.put(j.name(), zero);
            var b = FlinkDeploymentFixtures.deployment(NS, j.name()).replicas(3);
            j.annotations().forEach(b::annotation);
            b.create(client);
        }
        kafka.commitAll(commits);
        if (!records.isEmpty()) {
            kafka.produce(records);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A daemon on {@code k8s}: lag-threshold at 100 records per worker, 1..8 workers, scale-up at once, scale-down after 5 min. */
    private Daemon daemon(KubernetesClient k8s, String extra) throws IOException {
        return daemon(k8s, extra, "");
    }

    private Daemon daemon(KubernetesClient k8s, String extra, String governorExtra) throws IOException {
        Path policies = DaemonTestSupport.lagPolicy(dir, NS, 1, "5m", governorExtra);
        Config root = ConfigFactory.parseString("""
                flinkfleet.daemon {
                  policies-dir = "%s"
                  interval = 10m
                  http { bind-address = "127.0.0.1", port = 0 }
                  leader-election.enabled = false
                  kafka-clusters { local { bootstrap-servers = "%s" } }
                  default-kafka-cluster = local
                }
                flinkfleet.prometheus.enabled = false
                flinkfleet.kubernetes.namespaces = ["%s"]
                %s
                """.formatted(policies.toString().replace("\\", "\\\\"), kafka.bootstrapServers(), NS, extra))
                .withFallback(ConfigFactory.defaultReference()).resolve();
        Daemon d = Daemon.create(root, k8s, Clock.systemUTC());
        daemons.add(d);
        return d;
    }

    private static void await(String what, BooleanSupplier cond) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            sleep(20);
        }
    }

    private GenericKubernetesResource get(KubernetesClient k8s, String name) {
        return k8s.genericKubernetesResources(FlinkDeploymentFixtures.CONTEXT).inNamespace(NS).withName(name).get();
    }

    /** Runs a cycle (an exception escaping it fails the test), counting applied scale-downs: no job here may shrink. */
    private static Map<String, JobOutcome> cycle(Daemon d) {
        List<JobOutcome> out = d.runCycleNow();
        for (JobOutcome o : out) {
            if (o.applied() && o.decision().scalesDown()) {
                WRONG_DIRECTION.incrementAndGet();
            }
        }
        return out.stream().collect(Collectors.toMap(o -> o.plan().job().name(), o -> o, (x, y) -> x, LinkedHashMap::new));
    }

    private static String why(JobOutcome o) {
        return (o.decision() == null ? "no decision" : o.decision().summary()) + " / " + o.result() + " / " + o.error();
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * The leader is cut off from the Lease in the middle of a cycle (after its decisions, before its first
     * patch). It must stop patching at once, before the standby takes over; the new leader then rescales each
     * job exactly once.
     */
    @Test
    void leaderLostMidCycleStopsPatchingBeforeTheNewLeaderStarts() throws Exception {
        List<String> names = List.of("ll-a", "ll-b", "ll-c", "ll-d");
        jobs(names.stream().map(n -> new Job(n, 500)).toList());
        String le = """
                flinkfleet.daemon.leader-election {
                  enabled = true
                  lease-namespace = "%s"
                  identity = "%s"
                  lease-duration = 3s
                  renew-deadline = 1s
                  retry-period = 200ms
                }
                """;
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        AtomicBoolean armed = new AtomicBoolean();
        AtomicBoolean partitioned = new AtomicBoolean();
        AtomicLong oneStoppedAt = new AtomicLong();
        AtomicLong twoStartedAt = new AtomicLong();
        AtomicReference<Daemon> oneRef = new AtomicReference<>();
        Interceptor partition = new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                String path = request.uri().getPath();
                if (partitioned.get() && path.contains("/leases")) {
                    // The network to the Lease is gone: every renewal fails.
                    builder.uri(URI.create("http://127.0.0.1:" + closedPort + path));
                }
                if (armed.get() && "GET".equals(request.method()) && path.matches(".*/flinkdeployments/[^/]+")
                        && armed.compareAndSet(true, false)) {
                    // The first read of the actuation phase: cut the Lease off and wait until the elector gives up.
                    partitioned.set(true);
                    await("the old leader to step down", () -> !oneRef.get().isLeader());
                    oneStoppedAt.set(System.nanoTime());
                }
            }
        };
        KubernetesClient oneClient = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0).build())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("partition", partition)).build();
        clients.add(oneClient);
        Daemon one = daemon(oneClient, le.formatted(NS, "one"));
        oneRef.set(one);
        one.start();
        await("one to lead", one::isLeader);
        Daemon two = daemon(client, le.formatted(NS, "two"));
        two.start();
        Thread watch = new Thread(() -> {
            while (twoStartedAt.get() == 0 && !Thread.currentThread().isInterrupted()) {
                if (two.isLeader()) {
                    twoStartedAt.set(System.nanoTime());
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watch.setDaemon(true);
        watch.start();
        await("both informers", () -> one.watchedJobs() == names.size() && two.watchedJobs() == names.size());
        assertFalse(two.isLeader());

        armed.set(true);
        Map<String, JobOutcome> out = cycle(one);
        assertEquals(names.size(), out.size(), "every job was decided: " + out.keySet());
        for (String n : names) {
            JobOutcome o = out.get(n);
            assertTrue(o.decision().changes(), why(o));
            assertFalse(o.applied(), "the old leader patched after losing the lease: " + why(o));
            assertTrue(o.result().detail().contains("no longer the leader"), why(o));
            assertEquals(3, FlinkDeploymentFixtures.replicas(client, NS, n));
        }

        await("two to lead", two::isLeader);
        watch.join(5_000);
        assertTrue(oneStoppedAt.get() != 0 && oneStoppedAt.get() < twoStartedAt.get(),
                "the old leader stopped before the new one started");
        Map<String, JobOutcome> next = cycle(two);
        for (String n : names) {
            assertTrue(next.get(n).applied(), why(next.get(n)));
            assertEquals(5, FlinkDeploymentFixtures.replicas(client, NS, n), "rescaled once, by the new leader");
        }
        assertTrue(cycle(two).values().stream().noneMatch(JobOutcome::applied), "no double rescale");
    }

    /**
     * Every job's lag jumps at once: the fleet budget (10 per minute here) caps the rescales, the most urgent jobs
     * get them, the rest are held with HOLD_BUDGET and still decided, and the next cycle in the same minute adds
     * none.
     */
    @Test
    void fleetWideLagStormStaysWithinTheBudgetMostUrgentFirst() throws Exception {
        int n = 60;
        List<Job> storm = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            storm.add(new Job(String.format("storm-%02d", i), 100 * (4 + i % 5))); // wants 4..8 workers
        }
        // One partition per topic keeps 60 topics cheap for the broker; the partition bound is off so it does
        // not cap the targets.
        jobs(storm, 1);
        Daemon d = daemon(client, "flinkfleet.daemon.max-rescales-per-minute = 10", "respect-max-parallelism = false");
        d.start();
        await("informer", () -> d.watchedJobs() == n);

        Map<String, JobOutcome> out = cycle(d);
        assertEquals(n, out.size());
        List<JobOutcome> applied = out.values().stream().filter(JobOutcome::applied).toList();
        List<JobOutcome> held = out.values().stream().filter(o -> !o.applied()).toList();
        assertEquals(10, applied.size(), "rescales within the budget");
        for (JobOutcome o : held) {
            assertTrue(o.decision().scalesUp(), "still decided: " + why(o));
            assertEquals(ReasonCode.HOLD_BUDGET, o.result().reason(), why(o));
        }
        double leastUrgentApplied = applied.stream().mapToDouble(o -> o.decision().urgency()).min().orElseThrow();
        double mostUrgentHeld = held.stream().mapToDouble(o -> o.decision().urgency()).max().orElseThrow();
        assertTrue(leastUrgentApplied >= mostUrgentHeld, "most urgent first: " + leastUrgentApplied + " < " + mostUrgentHeld);
        assertTrue(applied.stream().allMatch(o -> o.decision().targetWorkers() == 8), "the starving jobs (3->8) go first");

        Map<String, JobOutcome> again = cycle(d);
        assertEquals(0, again.values().stream().filter(JobOutcome::applied).count(), "the budget is per minute, not per cycle");
        long rescaled = storm.stream().filter(j -> FlinkDeploymentFixtures.replicas(client, NS, j.name()) != 3).count();
        assertEquals(10, rescaled);
    }

    /**
     * Garbage in the annotations users write: each is ignored or read safely, told once as a warning event on
     * its own FlinkDeployment, never stops the cycle and never touches other jobs' state.
     */
    @Test
    void garbageInHandWrittenAnnotationsIsToldOnceAndHarmsNoOne() throws Exception {
        String gs = "flinkfleet.dev/governor-state";
        String recent = "{\"last-scale-down\":\"" + Instant.now().minusSeconds(60) + "\"}";
        jobs(List.of(
                new Job("g-hot", 500),
                new Job("g-maybe", 500, Map.of("flinkfleet.dev/paused", "maybe")),
                new Job("g-nowhere", 500, Map.of("flinkfleet.dev/application", "nowhere")),
                new Job("g-odd", 500, Map.of("flinkfleet.dev/application", "fraud detection!\u0007")),
                new Job("g-garbled", 0, Map.of(gs, "{\"last-scale-down\":\"2026-11-")),
                new Job("g-garbled-hot", 500, Map.of(gs, "[[[")),
                new Job("g-negative", 0, Map.of(gs, "{\"last-scale-down\":\"-2026-01-01T00:00:00Z\",\"recommendations\":\"-99999999999999999:1\"}")),
                new Job("g-calm", 0, Map.of(gs, recent))));
        Daemon d = daemon(client, "");
        d.start();
        await("informer", () -> d.watchedJobs() == 8);

        for (int c = 0; c < 3; c++) {
            Map<String, JobOutcome> out = cycle(d);
            assertEquals(List.of("g-calm", "g-garbled", "g-garbled-hot", "g-hot", "g-maybe", "g-negative"),
                    out.keySet().stream().sorted().toList(), "the bound jobs are all decided every cycle");
            assertEquals(ReasonCode.HOLD_PAUSED, out.get("g-maybe").decision().reason(), why(out.get("g-maybe")));
            for (String calm : List.of("g-garbled", "g-negative", "g-calm")) {
                JobOutcome o = out.get(calm);
                assertFalse(o.applied(), why(o));
                assertTrue(o.decision().reason() == ReasonCode.HOLD_COOLDOWN || o.decision().reason() == ReasonCode.HOLD_STABILIZATION,
                        "garbage must not enable a scale-down: " + why(o));
            }
            if (c == 0) {
                assertTrue(out.get("g-hot").applied(), why(out.get("g-hot")));
                assertTrue(out.get("g-garbled-hot").applied(), "garbage delays no scale-up past its cooldown: " + why(out.get("g-garbled-hot")));
            }
        }
        for (String j : List.of("g-maybe", "g-nowhere", "g-odd", "g-garbled", "g-negative", "g-calm")) {
            assertEquals(3, FlinkDeploymentFixtures.replicas(client, NS, j), j);
        }
        assertEquals(5, FlinkDeploymentFixtures.replicas(client, NS, "g-hot"));
        assertEquals(5, FlinkDeploymentFixtures.replicas(client, NS, "g-garbled-hot"));
        for (String j : List.of("g-garbled", "g-garbled-hot", "g-negative")) {
            String now = get(client, j).getMetadata().getAnnotations().get(gs);
            assertNotNull(GovernorState.fromMap(new ObjectMapper().readValue(now, new TypeReference<Map<String, String>>() {
            })).lastScaleAt(), "the garbage was replaced by a readable state: " + now);
        }
        assertEquals(recent, get(client, "g-calm").getMetadata().getAnnotations().get(gs), "a neighbour's state is untouched");

        // Events go out from their own thread, off the loop.
        assertTrue(d.awaitEventsSent(java.time.Duration.ofSeconds(10)), "events sent");
        List<Event> events = client.v1().events().inNamespace(NS).list().getItems().stream()
                .sorted(Comparator.comparing(e -> e.getInvolvedObject().getName())).toList();
        Map<String, List<String>> bad = events.stream().filter(e -> EventRecorder.REASON_BAD_ANNOTATION.equals(e.getReason()))
                .collect(Collectors.groupingBy(e -> e.getInvolvedObject().getName(), Collectors.mapping(Event::getMessage, Collectors.toList())));
        assertEquals(List.of("g-garbled", "g-garbled-hot", "g-maybe", "g-negative", "g-odd"), bad.keySet().stream().sorted().toList(), bad.toString());
        bad.forEach((job, msgs) -> assertEquals(1, msgs.size(), "told once over three cycles: " + job + " " + msgs));
        assertTrue(bad.get("g-maybe").get(0).contains("flinkfleet.dev/paused") && bad.get("g-maybe").get(0).contains("maybe"), bad.toString());
        assertTrue(bad.get("g-garbled").get(0).contains(gs), bad.toString());
        assertTrue(bad.get("g-odd").get(0).contains("flinkfleet.dev/application"), bad.toString());
        assertTrue(events.stream().allMatch(e -> !EventRecorder.REASON_BAD_ANNOTATION.equals(e.getReason()) || "Warning".equals(e.getType())));
        long unknownApp = events.stream().filter(e -> e.getInvolvedObject().getName().equals("g-nowhere") && e.getMessage().contains("'nowhere'")).count();
        assertEquals(1, unknownApp, "an application pointing nowhere is told once: " + events.stream().map(Event::getMessage).toList());
    }
}

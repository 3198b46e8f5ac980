package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.autoscaler.testing.MockApiServer;
import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.testkit.EmbeddedKafka;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Three daemons, each with its own client, against one CRUD mock API server and a real Kafka broker, the fleet
 * split over six shard Leases with at most three per replica. Every job is decided by exactly one daemon, the
 * holder of its shard; when a replica dies without releasing (its client closed) the survivors take its shards
 * within the lease duration; when one shuts down cleanly the last takes its shards at once (released Leases);
 * across all of it no job is rescaled twice.
 */
class ShardedDaemonsTest {

    static final String NS = "sharded";
    static final int PARTITIONS = 8;
    static final int SHARDS = 6;
    static final int JOBS = 12;
    static final long LEASE_MS = 3000;
    static EmbeddedKafka kafka;

    final MockApiServer api = MockApiServer.start();
    final List<KubernetesClient> clients = new ArrayList<>();
    final List<Daemon> daemons = new ArrayList<>();
    @TempDir
    Path dir;

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    @AfterEach
    void close() {
        daemons.forEach(Daemon::close);
        clients.forEach(KubernetesClient::close);
        api.close();
    }

    /** Jobs job-0 .. job-11, each with 480 records of lag on its topic (target 5 workers from 3). */
    private List<String> laggingJobs(KubernetesClient client) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            names.add("job-" + i);
        }
        List<String> topics = names.stream().map(n -> n + "-in").toList();
        kafka.createTopics(topics, PARTITIONS);
        Map<String, Map<TopicPartition, Long>> commits = new HashMap<>();
        Map<TopicPartition, Integer> records = new HashMap<>();
        for (String n : names) {
            Map<TopicPartition, Long> zero = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                zero.put(new TopicPartition(n + "-in", p), 0L);
                records.put(new TopicPartition(n + "-in", p), 60);
            }
            commits.put(n, zero);
            FlinkDeploymentFixtures.deployment(NS, n).replicas(3).create(client);
        }
        kafka.commitAll(commits);
        kafka.produce(records);
        return names;
    }

    private Daemon daemon(String identity) throws IOException {
        Path policies = DaemonTestSupport.lagPolicy(dir, NS, 3, "0s", "");
        Config root = ConfigFactory.parseString("""
                flinkfleet.daemon {
                  policies-dir = "%s"
                  interval = 10m
                  max-rescales-per-minute = 60
                  http { bind-address = "127.0.0.1", port = 0 }
                  kafka-clusters { local { bootstrap-servers = "%s" } }
                  default-kafka-cluster = local
                  leader-election {
                    enabled = true
                    lease-namespace = "%s"
                    identity = "%s"
                    lease-duration = %dms
                    renew-deadline = 2s
                    retry-period = 200ms
                    shards = %d
                    max-shards-per-replica = 3
                  }
                }
                flinkfleet.prometheus.enabled = false
                flinkfleet.kubernetes.namespaces = ["%s"]
                """.formatted(policies.toString().replace("\\", "\\\\"), kafka.bootstrapServers(), NS, identity, LEASE_MS, SHARDS, NS))
                .withFallback(ConfigFactory.defaultReference()).resolve();
        // A client per replica, as separate pods have: closing one is that replica dying.
        KubernetesClient own = new KubernetesClientBuilder().withConfig(api.client().getConfiguration()).build();
        clients.add(own);
        Daemon d = Daemon.create(root, own, Clock.systemUTC());
        daemons.add(d);
        return d;
    }

    /** Waits until the daemons together hold every shard, each shard once; returns the milliseconds waited. */
    private long awaitAllShardsHeld(List<Daemon> live, long timeoutMs) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + timeoutMs * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (covered(live)) {
                return (System.nanoTime() - t0) / 1_000_000L;
            }
            Thread.sleep(10);
        }
        List<String> leases = api.client().leases().inNamespace(NS).list().getItems().stream()
                .map(l -> l.getMetadata().getName() + "=" + l.getSpec().getHolderIdentity() + "@" + l.getSpec().getRenewTime()
                        + "/" + l.getSpec().getLeaseDurationSeconds()).sorted().toList();
        List<String> held = live.stream().map(d -> d.heldShards().toString()).toList();
        throw new AssertionError("shards not all held within " + timeoutMs + " ms: " + held + "; Leases: " + leases);
    }

    private static boolean covered(List<Daemon> live) {
        Set<Integer> union = new HashSet<>();
        int sum = 0;
        for (Daemon d : live) {
            Set<Integer> h = d.heldShards();
            union.addAll(h);
            sum += h.size();
        }
        return union.size() == SHARDS && sum == SHARDS;
    }

    /** Runs one cycle on each live daemon; every job must be decided by exactly one of them, the holder of its shard. */
    private static List<JobOutcome> eachJobDecidedOnce(List<Daemon> live, List<String> jobs) {
        List<JobOutcome> all = new ArrayList<>();
        Map<String, String> decidedBy = new HashMap<>();
        for (Daemon d : live) {
            Set<Integer> held = d.heldShards();
            for (JobOutcome o : d.runCycleNow()) {
                all.add(o);
                JobRef job = o.plan().job();
                String before = decidedBy.put(job.name(), d.toString());
                assertEquals(null, before, job + " decided by two daemons");
                assertTrue(held.contains(d.shardOf(job)), job + " of shard " + d.shardOf(job) + " decided by a holder of " + held);
            }
        }
        assertEquals(new TreeSet<>(jobs), new TreeSet<>(decidedBy.keySet()), "every job decided");
        return all;
    }

    @Test
    void threeReplicasSplitTheShardsAndTakeOverOnDeathAndOnShutdown() throws Exception {
        List<String> jobs = laggingJobs(api.client());
        Map<String, List<String>> rescaled = new ConcurrentHashMap<>();
        List<Daemon> live = new CopyOnWriteArrayList<>();
        for (String id : List.of("one", "two", "three")) {
            Daemon d = daemon(id);
            d.addListener(new CycleListener() {
                @Override
                public void onJob(JobOutcome o) {
                    if (o.applied()) {
                        rescaled.computeIfAbsent(o.plan().job().name(), k -> new CopyOnWriteArrayList<>()).add(id);
                    }
                }
            });
            live.add(d);
        }
        live.forEach(Daemon::start);
        for (Daemon d : live) {
            DaemonTestSupport.awaitWatched(d, JOBS);
        }
        awaitAllShardsHeld(live, 20_000);
        for (Daemon d : live) {
            assertTrue(d.heldShards().size() <= 3, "at most max-shards-per-replica: " + d.heldShards());
        }

        List<JobOutcome> first = eachJobDecidedOnce(live, jobs);
        assertEquals(new TreeSet<>(jobs), new TreeSet<>(rescaled.keySet()), "every lagging job rescaled: "
                + first.stream().map(o -> o.decision().summary() + " " + o.result()).toList());
        for (String j : jobs) {
            assertEquals(5, FlinkDeploymentFixtures.replicas(api.client(), NS, j), j);
        }
        Daemon some = live.get(0);
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + some.httpPort() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        for (int s = 0; s < SHARDS; s++) {
            String line = "flinkfleet_shard_held{shard=\"" + s + "\"} " + (some.heldShards().contains(s) ? "1" : "0");
            assertTrue(metrics.contains(line), line + " in " + metrics.lines().filter(l -> l.contains("shard_held")).toList());
        }

        // /jobs lists only the jobs of the shards held here and says which; a job of another shard is not governed here.
        HttpResponse<String> board = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + some.httpPort()
                + "/jobs")).build(), HttpResponse.BodyHandlers.ofString());
        String heldHeader = String.join(",", some.heldShards().stream().map(String::valueOf).toList()) + " of " + SHARDS;
        assertEquals(heldHeader, board.headers().firstValue("X-Flinkfleet-Shards").orElse(null));
        for (String j : jobs) {
            int shard = some.shardOf(new JobRef(NS, j));
            assertEquals(some.heldShards().contains(shard), board.body().contains("\"name\":\"" + j + "\""), j + " in " + board.body());
            if (!some.heldShards().contains(shard)) {
                HttpResponse<String> one = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + some.httpPort() + "/jobs/" + NS + "/" + j)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(404, one.statusCode());
                assertTrue(one.body().contains("not governed here") && one.body().contains("shard " + shard), one.body());
            }
        }

        // A replica dies holding shards: its client goes, its Leases are neither renewed nor released.
        Daemon dead = live.stream().max(Comparator.comparingInt(d -> d.heldShards().size())).orElseThrow();
        Set<Integer> orphaned = dead.heldShards();
        clients.get(daemons.indexOf(dead)).close();
        live.remove(dead);
        long death = awaitAllShardsHeld(live, LEASE_MS + 5_000);
        System.out.printf("shard takeover after a replica died holding %s: %d ms (lease duration %d ms)%n", orphaned, death, LEASE_MS);
        assertTrue(death <= LEASE_MS + 1_000, "taken over within the lease duration (+ one retry and slack): " + death + " ms");
        dead.close();
        eachJobDecidedOnce(live, jobs);

        // A replica shuts down: it releases its Leases, and the last one takes them at its next look.
        Daemon leaving = live.stream().max(Comparator.comparingInt(d -> d.heldShards().size())).orElseThrow();
        Set<Integer> released = leaving.heldShards();
        long t0 = System.nanoTime();
        leaving.close();
        live.remove(leaving);
        awaitAllShardsHeld(live, LEASE_MS);
        long shutdown = (System.nanoTime() - t0) / 1_000_000L;
        System.out.printf("shard takeover after a clean shutdown releasing %s: %d ms (lease duration %d ms)%n", released, shutdown, LEASE_MS);
        assertTrue(shutdown < LEASE_MS, "released Leases are taken before they would have expired: " + shutdown + " ms");
        Daemon last = live.get(0);
        assertEquals(SHARDS, last.heldShards().size(), "the last replica holds every shard, past its cap");
        eachJobDecidedOnce(live, jobs);

        for (String j : jobs) {
            assertEquals(1, rescaled.get(j).size(), j + " rescaled by " + rescaled.get(j));
            assertEquals(5, FlinkDeploymentFixtures.replicas(api.client(), NS, j), j);
        }
    }
}

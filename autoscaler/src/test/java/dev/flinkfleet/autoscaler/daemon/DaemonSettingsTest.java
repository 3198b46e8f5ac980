package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;

class DaemonSettingsTest {

    @TempDir
    Path dir;

    private Config load(String text) throws IOException {
        Path f = dir.resolve("autoscaler.conf");
        Files.writeString(f, text);
        return ConfigFactory.parseFile(f.toFile()).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    record Case(String name, String text, int line, String key, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> bad() {
        return Stream.of(
                new Case("interval zero", "\nflinkfleet.daemon.interval = 0s", 2, "flinkfleet.daemon.interval", "> 0"),
                new Case("interval without unit", "flinkfleet.daemon.interval = 30", 1, "flinkfleet.daemon.interval", "needs a unit"),
                new Case("renew deadline not below lease duration", "flinkfleet.daemon.leader-election {\n lease-duration = 10s\n renew-deadline = 10s\n}",
                        3, "flinkfleet.daemon.leader-election.renew-deadline", "shorter than lease-duration"),
                new Case("retry period not below renew deadline", "flinkfleet.daemon.leader-election.retry-period = 10s", 1,
                        "flinkfleet.daemon.leader-election.retry-period", "shorter than renew-deadline"),
                new Case("bad lease name", "flinkfleet.daemon.leader-election.lease-name = \"My_Lease\"", 1,
                        "flinkfleet.daemon.leader-election.lease-name", "not a valid Lease name"),
                new Case("port out of range", "flinkfleet.daemon.http.port = 70000", 1, "flinkfleet.daemon.http.port", "0..65535"),
                new Case("no job history", "flinkfleet.daemon.http.job-history = 0", 1, "flinkfleet.daemon.http.job-history", ">= 1"),
                new Case("stale multiple below one", "flinkfleet.daemon.health.stale-multiple = 0.5", 1,
                        "flinkfleet.daemon.health.stale-multiple", ">= 1"),
                new Case("rescale budget zero", "flinkfleet.daemon.max-rescales-per-minute = 0", 1,
                        "flinkfleet.daemon.max-rescales-per-minute", ">= 1"),
                new Case("no shards", "flinkfleet.daemon.leader-election.shards = 0", 1,
                        "flinkfleet.daemon.leader-election.shards", ">= 1"),
                new Case("more shards than the budget", "flinkfleet.daemon {\n max-rescales-per-minute = 4\n leader-election.shards = 5\n}", 3,
                        "flinkfleet.daemon.leader-election.shards", "max-rescales-per-minute >= 5"),
                new Case("negative shard cap", "flinkfleet.daemon.leader-election.max-shards-per-replica = -1", 1,
                        "flinkfleet.daemon.leader-election.max-shards-per-replica", ">= 0"),
                new Case("default cluster undefined", "flinkfleet.daemon {\n kafka-clusters { a { bootstrap-servers = \"k:9092\" } }\n default-kafka-cluster = b\n}",
                        3, "flinkfleet.daemon.default-kafka-cluster", "'b' is not defined"),
                new Case("cluster without bootstrap servers", "flinkfleet.daemon.kafka-clusters {\n  a {\n    admin { \"client.id\" = x }\n  }\n}",
                        2, "flinkfleet.daemon.kafka-clusters.a", "needs bootstrap-servers"),
                new Case("bootstrap servers inside admin", "flinkfleet.daemon.kafka-clusters.a {\n bootstrap-servers = \"k:9092\"\n admin { \"bootstrap.servers\" = \"x:1\" }\n}",
                        3, "flinkfleet.daemon.kafka-clusters.a.admin", "set bootstrap-servers"),
                new Case("unknown key in a cluster", "flinkfleet.daemon.kafka-clusters.a {\n bootstrap-servers = \"k:9092\"\n bootstrap = \"x\"\n}",
                        3, "flinkfleet.daemon.kafka-clusters.a.bootstrap", "unknown key"),
                new Case("backend attempts zero", "flinkfleet.daemon.backend-guard.attempts = 0", 1,
                        "flinkfleet.daemon.backend-guard.attempts", ">= 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void badValuesNameFileLineAndKey(Case c) throws IOException {
        Config root = load(c.text());
        ConfigException e = assertThrows(ConfigException.class, () -> DaemonSettings.fromConfig(root));
        assertTrue(e.getMessage().contains("autoscaler.conf: " + c.line()), e.getMessage());
        assertTrue(e.getMessage().contains(c.key()), e.getMessage());
        assertTrue(e.getMessage().contains(c.message()), e.getMessage());
    }

    @Test
    void defaultsAndClusters() throws IOException {
        Config root = load("""
                flinkfleet.daemon.kafka-clusters {
                  main {
                    bootstrap-servers = "k1:9092,k2:9092"
                    admin { "security.protocol" = "SSL", request.timeout.ms = 5000 }
                  }
                }
                flinkfleet.daemon.default-kafka-cluster = main
                flinkfleet.kubernetes.actuator.dry-run = true
                """);
        DaemonSettings s = DaemonSettings.fromConfig(root);
        assertEquals(Duration.ofSeconds(30), s.interval());
        assertEquals(20, s.http().jobHistory());
        assertEquals(8080, s.http().port());
        assertEquals(Map.of("bootstrap.servers", "k1:9092,k2:9092", "security.protocol", "SSL", "request.timeout.ms", "5000"),
                s.kafkaClusters().get("main").adminConfig());
        assertEquals("main", s.defaultKafkaCluster());
        assertTrue(s.dryRun(), "the Kubernetes actuator's dry-run key turns the daemon's on too");
        assertTrue(s.leaderElection().enabled());
        assertEquals(1, s.leaderElection().shards(), "one shard by default: today's single Lease");
        assertEquals(0, s.leaderElection().maxShardsPerReplica());
    }

    @Test
    void identityAndLeaseNamespaceFallBackToTheEnvironment() throws IOException {
        DaemonSettings.LeaderElection le = DaemonSettings.fromConfig(load("")).leaderElection();
        Map<String, String> pod = Map.of("POD_NAME", "autoscaler-0", "POD_NAMESPACE", "ops", "HOSTNAME", "h");
        assertEquals("autoscaler-0", le.identityOr(pod::get, "host"));
        assertEquals("ops", le.namespaceOr(pod::get, "client-ns"));
        Map<String, String> none = Map.of();
        assertEquals("host", le.identityOr(none::get, "host"));
        assertEquals("client-ns", le.namespaceOr(none::get, "client-ns"));
        assertEquals("default", le.namespaceOr(none::get, null));
        DaemonSettings.LeaderElection set = DaemonSettings.fromConfig(load("flinkfleet.daemon.leader-election.identity = me")).leaderElection();
        assertEquals("me", set.identityOr(pod::get, "host"));
    }
}

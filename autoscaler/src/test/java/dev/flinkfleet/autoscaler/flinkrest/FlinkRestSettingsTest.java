package dev.flinkfleet.autoscaler.flinkrest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;

import dev.flinkfleet.autoscaler.config.DaemonConfigFile;

class FlinkRestSettingsTest {

    private static Config load(String text) {
        return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription("daemon.conf"))
                .withFallback(ConfigFactory.defaultReference()).resolve();
    }

    @Test
    void defaultsAreNoClusters() {
        FlinkRestSettings s = FlinkRestSettings.fromConfig(load(""));
        assertEquals(Map.of(), s.clusters());
        assertEquals(Duration.ofSeconds(5), s.timeout());
        assertEquals(2, s.attempts());
        assertEquals(Duration.ofMillis(200), s.backoff());
    }

    @Test
    void readsClustersInOrder() {
        FlinkRestSettings s = FlinkRestSettings.fromConfig(load("""
                flinkfleet.flink-rest {
                  clusters { sessions-b { url = "http://jm-b:8081/" }, sessions-a { url = "https://jm-a.example:443/flink" } }
                  timeout = 2s, attempts = 1, first-backoff = 50ms
                }
                """));
        assertEquals(List.of("sessions-b", "sessions-a"), List.copyOf(s.clusters().keySet()));
        assertEquals(URI.create("https://jm-a.example:443/flink"), s.clusters().get("sessions-a").url());
        assertEquals(List.of("sessions-b", "sessions-a"), s.clients().stream().map(FlinkRestClient::name).toList());
        assertEquals("Flink REST endpoint 'sessions-b' (http://jm-b:8081)", s.clients().get(0).describe());
    }

    record Bad(String name, String conf, String key) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> bad() {
        String c = "flinkfleet.flink-rest.clusters";
        return Stream.of(
                new Bad("no url", c + " { a { } }", c + ".a"),
                new Bad("not http", c + " { a { url = \"ftp://jm:21\" } }", c + ".a"),
                new Bad("no host", c + " { a { url = \"http:/jm\" } }", c + ".a"),
                new Bad("credentials in the url", c + " { a { url = \"http://admin:s3cret@jm:8081\" } }", c + ".a"),
                new Bad("unknown key in a cluster", c + " { a { url = \"http://jm:8081\", uri = x } }", c + ".a.uri"),
                new Bad("cluster not a block", c + " { a = \"http://jm:8081\" }", c + ".a"),
                new Bad("bad cluster name", c + " { \"a b\" { url = \"http://jm:8081\" } }", c + ".\"a b\""),
                new Bad("no attempts", "flinkfleet.flink-rest.attempts = 0", "flinkfleet.flink-rest.attempts"),
                new Bad("zero timeout", "flinkfleet.flink-rest.timeout = 0s", "flinkfleet.flink-rest.timeout"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void badValuesNameFileLineAndKey(Bad b) {
        ConfigException e = assertThrows(ConfigException.class, () -> FlinkRestSettings.fromConfig(load(b.conf())));
        assertTrue(e.getMessage().contains("daemon.conf: 1") && e.getMessage().contains(b.key()), e.getMessage());
        assertTrue(!e.getMessage().contains("s3cret"), "no password in the message: " + e.getMessage());
    }

    @Test
    void theStrictConfigCheckAcceptsTheKeysAndReportsEveryBadOne(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.conf");
        Files.writeString(good, """
                flinkfleet.flink-rest {
                  clusters { sessions { url = "http://jobmanager:8081" } }
                  timeout = 3s
                  attempts = 3
                  first-backoff = 100ms
                }
                """);
        DaemonConfigFile.Result ok = DaemonConfigFile.load(good, false, false);
        assertEquals(List.of(), ok.problems());

        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, """
                flinkfleet.flink-rest {
                  clusters { sessions { url = "jobmanager:8081" } }
                  atempts = 3
                }
                """);
        List<String> problems = DaemonConfigFile.load(bad, false, false).problems();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(bad + ":2: flinkfleet.flink-rest.clusters.sessions: url 'jobmanager:8081' must be an http:// or https:// URL"),
                problems.toString());
        assertTrue(problems.get(1).startsWith(bad + ":3: flinkfleet.flink-rest.atempts: unknown key"), problems.toString());
    }
}

package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpServer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.flinkfleet.autoscaler.config.DaemonConfigFile;
import dev.flinkfleet.autoscaler.kafka.KafkaSignalSettings;
import dev.flinkfleet.autoscaler.kubernetes.KubernetesSettings;
import dev.flinkfleet.autoscaler.prometheus.PrometheusSettings;
import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.testkit.EmbeddedKafka;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/**
 * Every credential the daemon config accepts is set to a marker (SASL_PLAINTEXT so the daemon starts with
 * the unused TLS passwords; Kafka then names them in its "supplied but not used" warning); the daemon goes
 * through start-up, two cycles in which every backend fails (a Kafka cluster on a closed port, a real broker
 * that does not speak SASL, a Prometheus that answers 401 echoing the request's Authorization header and URL, as
 * some proxies do), every admin endpoint, and shutdown. The marker
 * must appear in no log event (message or exception), no HTTP answer, no Kubernetes Event, no settings
 * toString() and not in {@code config check}'s output.
 */
@EnableKubernetesMockClient(crud = true)
class SecretsNeverLeakTest {

    static final String MARKER = "S3CRET-MARKER";
    static final String NS = "streaming";

    static EmbeddedKafka kafka;

    KubernetesClient client;
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

    @Test
    void noCredentialReachesALogAnEndpointOrAToString() throws Exception {
        FlinkDeploymentFixtures.installCrd(client);
        FlinkDeploymentFixtures.deployment(NS, "job-a").replicas(2).create(client);
        FlinkDeploymentFixtures.deployment(NS, "job-b").replicas(2).annotation("flinkfleet.dev/kafka-cluster", "plain").create(client);
        int closed = closedPort();
        HttpServer echo = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        echo.createContext("/", ex -> {
            byte[] body = ("{\"status\":\"error\",\"errorType\":\"unauthorized\",\"error\":\"rejected "
                    + ex.getRequestHeaders().getFirst("Authorization") + " for " + ex.getRequestURI() + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(401, body.length);
            try (var out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        echo.start();

        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("lag.conf"), """
                application {
                  policy = "backlog-drain"
                  kafka { topics = ["{name}-in"] }
                }
                """);
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, MARKER + "-token-file\n");
        Path conf = dir.resolve("autoscaler.conf");
        Files.writeString(conf, """
                flinkfleet {
                  daemon {
                    policies-dir = "%1$s"
                    interval = 10m
                    http { bind-address = "127.0.0.1", port = 0 }
                    leader-election.enabled = false
                    backend-guard.attempts = 1
                    kafka-clusters {
                      gone {
                        bootstrap-servers = "127.0.0.1:%2$d"
                        admin {
                          "security.protocol" = "SASL_PLAINTEXT"
                          "sasl.mechanism" = "PLAIN"
                          "sasl.jaas.config" = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\\"fleet\\" password=\\"%3$s-jaas\\";"
                          "ssl.keystore.password" = "%3$s-keystore"
                          "ssl.truststore.password" = "%3$s-truststore"
                          "ssl.key.password" = "%3$s-key"
                          "reconnect.backoff.max.ms" = "1000"
                        }
                      }
                    }
                    kafka-clusters.plain {
                      bootstrap-servers = "%6$s"
                      admin {
                        "security.protocol" = "SASL_PLAINTEXT"
                        "sasl.mechanism" = "PLAIN"
                        "sasl.jaas.config" = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\\"fleet\\" password=\\"%3$s-jaas2\\";"
                      }
                    }
                    default-kafka-cluster = gone
                  }
                  kafka.admin-timeout = 2s
                  prometheus {
                    url = "http://fleet:%3$s-url@127.0.0.1:%7$d/prom"
                    bearer-token = "%3$s-bearer"
                    bearer-token-file = "%4$s"
                    timeout = 2s
                  }
                  kubernetes.namespaces = ["%5$s"]
                }
                """.formatted(policies, closed, MARKER, tokenFile, NS, kafka.bootstrapServers(), echo.getAddress().getPort()));

        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        root.setLevel(Level.INFO); // production's level (logback.xml); tests default to WARN
        Map<String, String> outputs = new LinkedHashMap<>();
        List<JobOutcome> outcomes;
        try {
            StringWriter check = new StringWriter();
            int code = dev.flinkfleet.autoscaler.cli.Main.run(new PrintWriter(check), new PrintWriter(check), "config", "check", conf.toString());
            assertEquals(0, code, check.toString());
            outputs.put("config check", check.toString());

            DaemonConfigFile.Result loaded = DaemonConfigFile.load(conf, false, true);
            assertTrue(loaded.ok(), loaded.problems().toString());
            var config = loaded.config();
            outputs.put("DaemonSettings.toString", DaemonSettings.fromConfig(config).toString());
            outputs.put("PrometheusSettings.toString", PrometheusSettings.fromConfig(config).toString());
            outputs.put("KafkaSignalSettings.toString", KafkaSignalSettings.fromConfig(config).toString());
            outputs.put("KubernetesSettings.toString", KubernetesSettings.fromConfig(config).toString());

            Daemon d = Daemon.create(config, client, Clock.systemUTC());
            try {
                d.start();
                outcomes = new ArrayList<>(d.runCycleNow());
                outcomes.addAll(d.runCycleNow());
                HttpClient http = HttpClient.newHttpClient();
                for (String path : List.of("/metrics", "/jobs", "/jobs/" + NS + "/job-a", "/healthz", "/readyz", "/nope")) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.httpPort() + path)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    outputs.put("GET " + path, r.statusCode() + " " + r.body());
                }
            } finally {
                d.close();
            }
            outcomes.forEach(o -> outputs.put("outcome " + o.plan().job(), o.toString() + " " + o.error()));
            for (Event e : client.v1().events().inNamespace(NS).list().getItems()) {
                outputs.put("event " + e.getMetadata().getName(), e.getReason() + " " + e.getMessage());
            }
        } finally {
            root.detachAppender(logs);
            root.setLevel(before);
            echo.stop(0);
        }
        List<String> logLines = new ArrayList<>();
        for (ILoggingEvent e : logs.list) {
            logLines.add(e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage()
                    + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())));
        }

        // The capture works: the start-up line is there, with the URL's password masked.
        assertTrue(logLines.stream().anyMatch(l -> l.contains("Prometheus http://fleet:***@127.0.0.1:" + echo.getAddress().getPort() + "/prom")),
                String.join("\n", logLines));
        // Prometheus's echo reached the log, masked.
        assertTrue(logLines.stream().anyMatch(l -> l.contains("rejected Bearer *** for /prom/api/v1/query")), String.join("\n", logLines));
        // The backends really failed: the job was decided without any signal.
        assertEquals(4, outcomes.size(), "both jobs, both cycles: " + outcomes);
        assertTrue(outputs.get("GET /jobs/" + NS + "/job-a").startsWith("200 "), outputs.toString());
        assertTrue(outputs.get("config check").contains("\"sasl.jaas.config\" = \"***\""), outputs.get("config check"));

        List<String> leaks = new ArrayList<>();
        logLines.stream().filter(l -> l.contains(MARKER)).forEach(l -> leaks.add("log: " + l));
        outputs.forEach((where, text) -> {
            if (text.contains(MARKER)) {
                leaks.add(where + ": " + text);
            }
        });
        assertEquals(List.of(), leaks, "credentials leaked");
    }

    /** A loopback port nothing listens on. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

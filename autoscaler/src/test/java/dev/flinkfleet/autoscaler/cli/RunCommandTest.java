package dev.flinkfleet.autoscaler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.autoscaler.config.DaemonConfigFile;
import dev.flinkfleet.autoscaler.daemon.DaemonSettings;
import dev.flinkfleet.autoscaler.kubernetes.KubernetesSettings;
import dev.flinkfleet.autoscaler.prometheus.PrometheusSettings;

class RunCommandTest {

    @TempDir
    Path dir;

    record Case(String name, String config, Map<String, String> policies, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String GOOD_POLICY = "application { policy = \"lag-threshold\" }";

    static Stream<Case> badConfigs() {
        return Stream.of(
                new Case("syntax error", "flinkfleet.daemon {\n  interval = 30s\n  http { port = }\n}", Map.of("a.conf", GOOD_POLICY),
                        "autoscaler.conf:3: "),
                new Case("bad value", "flinkfleet.daemon {\n  policies-dir = \"@DIR@\"\n  interval = 0s\n}", Map.of("a.conf", GOOD_POLICY),
                        "autoscaler.conf:3: flinkfleet.daemon.interval: must be a duration > 0"),
                new Case("wrong type", "flinkfleet.daemon.policies-dir = \"@DIR@\"\nflinkfleet.daemon.dry-run = maybe", Map.of("a.conf", GOOD_POLICY),
                        "autoscaler.conf:2: "),
                new Case("bad setting outside the daemon block", "flinkfleet.daemon.policies-dir = \"@DIR@\"\n\nflinkfleet.kubernetes.actuator.mode = replicas",
                        Map.of("a.conf", GOOD_POLICY), "autoscaler.conf:3: "),
                new Case("broken policy file", "flinkfleet.daemon.policies-dir = \"@DIR@\"", Map.of("a.conf", "application {\n  policy = \"nope\"\n}"),
                        "a.conf:2: application.policy: unknown policy 'nope'"),
                new Case("bad wiring in a policy file", "flinkfleet.daemon.policies-dir = \"@DIR@\"",
                        Map.of("a.conf", "application {\n  actuation.mode = replicas\n  kafka.consumer-group = \"{job}\"\n}"),
                        "a.conf:2: application.actuation.mode: 'replicas' is not a mode"),
                new Case("empty policy directory", "flinkfleet.daemon.policies-dir = \"@DIR@\"", Map.of(), "no policy files"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void badConfigExitsTwoWithFileAndLine(Case c) throws IOException {
        Path policies = Files.createDirectories(dir.resolve("policies"));
        for (Map.Entry<String, String> p : c.policies().entrySet()) {
            Files.writeString(policies.resolve(p.getKey()), p.getValue());
        }
        Path conf = dir.resolve("autoscaler.conf");
        Files.writeString(conf, c.config().replace("@DIR@", policies.toString().replace("\\", "/")));
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "run", "--config", conf.toString(), "--once");
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains(c.expected()), err.toString());
    }

    @Test
    void onceWithoutAReachableApiServerFailsInsteadOfReportingAnEmptyFleet() throws IOException {
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("a.conf"), "application { policy = \"static\" }\n");
        Path conf = dir.resolve("autoscaler.conf");
        Files.writeString(conf, """
                flinkfleet.daemon { policies-dir = "%s", http.port = 0, leader-election.enabled = false }
                flinkfleet.prometheus.enabled = false
                """.formatted(policies.toString().replace("\\", "/")));
        // Nothing listens on port 1: the informers cannot list FlinkDeployments.
        String before = System.getProperty("kubernetes.master");
        System.setProperty("kubernetes.master", "https://127.0.0.1:1");
        // No retries: the refusal is the answer, and the test need not wait out fabric8's backoff.
        System.setProperty("kubernetes.request.retry.backoffLimit", "0");
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new PrintWriter(out), new PrintWriter(err), "run", "--config", conf.toString(), "--once");
            assertEquals(1, code, err.toString());
            assertTrue(err.toString().contains("could not be listed"), err.toString());
            assertTrue(!out.toString().contains("0 jobs"), out.toString());
        } finally {
            System.clearProperty("kubernetes.request.retry.backoffLimit");
            if (before == null) {
                System.clearProperty("kubernetes.master");
            } else {
                System.setProperty("kubernetes.master", before);
            }
        }
    }

    @Test
    void missingConfigFileExitsTwo() {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "run", "--config", dir.resolve("nope.conf").toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("no such config file"), err.toString());
    }

    @Test
    void runIsListedAndDocumentsItsOptions() {
        StringWriter out = new StringWriter();
        Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "run", "--help");
        for (String opt : List.of("--config", "--dry-run", "--log-format", "--once")) {
            assertTrue(out.toString().contains(opt), out.toString());
        }
    }

    /** The shipped default config is valid, and sets only declared keys (besides the open-ended cluster blocks). */
    @Test
    void shippedDefaultConfigIsValid() {
        Path shipped = Path.of("..", "config", "autoscaler.conf");
        Config root = DaemonConfigFile.load(shipped, false, false).config();
        DaemonSettings s = DaemonSettings.fromConfig(root);
        KubernetesSettings.fromConfig(root);
        PrometheusSettings.fromConfig(root);
        assertTrue(s.dryRun(), "safe by default from a checkout");
        assertEquals("config/policies", s.policiesDir().toString().replace('\\', '/'));
        assertEquals("localhost:9092", s.kafkaClusters().get(s.defaultKafkaCluster()).adminConfig().get("bootstrap.servers"));
        Config reference = ConfigFactory.defaultReference();
        Config user = ConfigFactory.parseFile(shipped.toFile());
        for (String key : user.entrySet().stream().map(Map.Entry::getKey).toList()) {
            if (!key.startsWith("flinkfleet.daemon.kafka-clusters.")) {
                assertTrue(reference.hasPath(key), "config/autoscaler.conf sets undeclared key " + key);
            }
        }
    }

    @Test
    void dryRunFlagOverridesTheFile() throws IOException {
        Path conf = dir.resolve("a.conf");
        Files.writeString(conf, "flinkfleet.daemon.dry-run = false");
        assertTrue(DaemonSettings.fromConfig(DaemonConfigFile.load(conf, true, false).config()).dryRun());
        assertEquals(false, DaemonSettings.fromConfig(DaemonConfigFile.load(conf, false, false).config()).dryRun());
    }
}

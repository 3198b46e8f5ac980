package dev.flinkfleet.autoscaler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigCheckCommandTest {

    @TempDir
    Path dir;

    /** A config file and the lines the check must print (each a substring of one output line). */
    record Case(String name, String config, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> badConfigs() {
        return Stream.of(
                new Case("dryrun typo", "flinkfleet.daemon.dryrun = true\n",
                        List.of("daemon.conf:1: flinkfleet.daemon.dryrun: unknown key; did you mean 'dry-run'?")),
                new Case("intervall typo", "flinkfleet {\n  daemon {\n    intervall = 10s\n  }\n}\n",
                        List.of("daemon.conf:3: flinkfleet.daemon.intervall: unknown key; did you mean 'interval'?")),
                new Case("prometheus.urll typo", "flinkfleet.prometheus.urll = \"http://p:9090\"\n",
                        List.of("daemon.conf:1: flinkfleet.prometheus.urll: unknown key; did you mean 'url'?")),
                new Case("kubernets typo", "\nflinkfleet.kubernets.namespaces = [a]\n",
                        List.of("daemon.conf:2: flinkfleet.kubernets: unknown key; did you mean 'kubernetes'?")),
                new Case("key in the wrong block", "flinkfleet.daemon.url = \"http://p:9090\"\n",
                        List.of("daemon.conf:1: flinkfleet.daemon.url: unknown key; did you mean 'flinkfleet.prometheus.url'?")),
                new Case("governor rule in the daemon block", "flinkfleet.daemon.max-workers = 10\n",
                        List.of("daemon.conf:1: flinkfleet.daemon.max-workers: unknown key; 'flinkfleet.governor.max-workers' is declared, "
                                + "but governor rules are set per application in a policy file: application { governor { ... } }")),
                new Case("misspelt root", "flinkfeet.daemon.dry-run = true\n",
                        List.of("daemon.conf:1: flinkfeet: unknown top-level key; every setting is under flinkfleet { ... }; did you mean 'flinkfleet'?")),
                new Case("declared but not read by the daemon", "flinkfleet.governor.max-workers = 5\n",
                        List.of("daemon.conf:1: flinkfleet.governor: not read from the daemon config")),
                new Case("non-integer count", "flinkfleet.daemon.max-rescales-per-minute = 10.5\n",
                        List.of("daemon.conf:1: flinkfleet.daemon.max-rescales-per-minute: must be a whole number, got 10.5")),
                new Case("missing include", "flinkfleet.daemon.interval = 10s\ninclude \"missing.conf\"\n",
                        List.of("daemon.conf:2: include: 'missing.conf' does not exist")),
                new Case("missing required include", "include required(file(\"gone.conf\"))\n",
                        List.of("daemon.conf:1: include: 'gone.conf' does not exist")),
                new Case("unknown key in a Kafka cluster", "flinkfleet.daemon.kafka-clusters.main {\n  bootstrap-server = \"b:9092\"\n}\n",
                        List.of("daemon.conf:2: flinkfleet.daemon.kafka-clusters.main.bootstrap-server: unknown key; a cluster has bootstrap-servers and admin { ... }; did you mean 'bootstrap-servers'?")),
                new Case("syntax error", "flinkfleet.daemon {\n  http { port = }\n}\n", List.of("daemon.conf:2: ")),
                new Case("operator ConfigMap name", "flinkfleet.kubernetes.operator-config.name = \"Flink_Operator\"\n",
                        List.of("daemon.conf:1: flinkfleet.kubernetes.operator-config.name: 'Flink_Operator' is not a valid ConfigMap name")),
                new Case("Prometheus deployment label", "flinkfleet.prometheus.deployment-label = \"app.kubernetes.io/name\"\n",
                        List.of("daemon.conf:1: flinkfleet.prometheus.deployment-label: deployment label must be a Prometheus label name")),
                new Case("every problem at once, across blocks", """
                        flinkfleet {
                          daemon {
                            dryrun = true
                            intervall = 10s
                            http.port = 99999
                            max-rescales-per-minute = 0.5
                            leader-election.lease-name = "Not_A_Name"
                          }
                          prometheus.urll = "http://p:9090"
                          prometheus.timeout = 0s
                          kubernets { namespaces = [] }
                          kafka.history-samples = 2
                        }
                        """, List.of(
                        "daemon.conf:3: flinkfleet.daemon.dryrun: unknown key; did you mean 'dry-run'?",
                        "daemon.conf:4: flinkfleet.daemon.intervall: unknown key; did you mean 'interval'?",
                        "daemon.conf:5: flinkfleet.daemon.http.port: must be a port 0..65535, got 99999",
                        "daemon.conf:6: flinkfleet.daemon.max-rescales-per-minute: must be a whole number, got 0.5",
                        "daemon.conf:7: flinkfleet.daemon.leader-election.lease-name: 'Not_A_Name' is not a valid Lease name",
                        "daemon.conf:9: flinkfleet.prometheus.urll: unknown key; did you mean 'url'?",
                        "daemon.conf:10: flinkfleet.prometheus.timeout: must be a duration > 0",
                        "daemon.conf:11: flinkfleet.kubernets: unknown key; did you mean 'kubernetes'?",
                        "history-samples: must be >= 3, got 2",
                        "9 errors")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void badConfigExitsTwoWithEveryProblemAtItsLine(Case c) throws IOException {
        Path conf = dir.resolve("daemon.conf");
        Files.writeString(conf, c.config());
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "config", "check", conf.toString());
        assertEquals(2, code, out.toString());
        for (String e : c.expected()) {
            assertTrue(out.toString().contains(e), "expected '" + e + "' in:\n" + out);
        }
    }

    @Test
    void shippedConfigPassesAndShowsTheEffectiveSettings() {
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "config", "check", Path.of("..", "config", "autoscaler.conf").toString());
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("flinkfleet.daemon.dry-run = true  # "), out.toString());
        assertTrue(out.toString().contains("flinkfleet.daemon.interval = \"30s\""), out.toString());
        assertTrue(out.toString().contains(": OK"), out.toString());
    }

    @Test
    void problemsMaskTheCredentialsTheyQuote() throws IOException {
        Path conf = dir.resolve("daemon.conf");
        Files.writeString(conf, "flinkfleet.prometheus.url = \"ftp://alice:S3CRET-MARKER-pw@prom:9090\"\n");
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "config", "check", conf.toString());
        assertEquals(2, code, out.toString());
        assertTrue(out.toString().contains("daemon.conf:1: flinkfleet.prometheus.url: must be an http(s) URL with a host, got 'ftp://alice:***@prom:9090'"),
                out.toString());
        assertFalse(out.toString().contains("S3CRET"), out.toString());
    }

    @Test
    void effectiveSettingsMaskEveryCredential() throws IOException {
        String marker = "S3CRET-MARKER-cc";
        Path conf = dir.resolve("daemon.conf");
        Files.writeString(conf, """
                flinkfleet.prometheus.url = "https://alice:%1$s@prom.example:9090/prom"
                flinkfleet.prometheus.bearer-token = "%1$s-token"
                flinkfleet.daemon.kafka-clusters.main {
                  bootstrap-servers = "b:9092"
                  admin {
                    "sasl.jaas.config" = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\\"u\\" password=\\"%1$s\\";"
                    "ssl.keystore.password" = "%1$s-ks"
                    "ssl.truststore.password" = "%1$s-ts"
                    "ssl.key.password" = "%1$s-k"
                  }
                }
                """.formatted(marker));
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "config", "check", conf.toString());
        assertEquals(0, code, out.toString());
        assertFalse(out.toString().contains("S3CRET"), out.toString());
        assertTrue(out.toString().contains("flinkfleet.prometheus.url = \"https://alice:***@prom.example:9090/prom\""), out.toString());
        assertTrue(out.toString().contains("\"ssl.key.password\" = \"***\""), out.toString());
    }
}

package dev.flinkfleet.autoscaler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KubeconfigTest {

    @TempDir
    static Path dir;

    /** Files that exist in the case's world (relative to the temp dir), its environment and properties. */
    record Case(String name, Map<String, String> env, Map<String, String> properties, boolean tokenExists, boolean found,
                String inMessage) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("nothing anywhere", Map.of("HOME", "{dir}/emptyhome"), Map.of(), false, false,
                        "no kubeconfig found (looked in $KUBECONFIG (unset), {dir}/emptyhome/.kube/config, in-cluster service account ($KUBERNETES_SERVICE_HOST unset)); set KUBECONFIG or run in a cluster"),
                new Case("KUBECONFIG names missing files", Map.of("HOME", "{dir}/home", "KUBECONFIG", "{dir}/a:{dir}/b"), Map.of(), false, false,
                        "looked in $KUBECONFIG={dir}/a:{dir}/b, in-cluster"),
                new Case("KUBECONFIG list with one existing file", Map.of("KUBECONFIG", "{dir}/a:{dir}/kubeconfig"), Map.of(), false, true, null),
                new Case("~/.kube/config", Map.of("HOME", "{dir}/home"), Map.of(), false, true, null),
                new Case("user.home when HOME is unset", Map.of(), Map.of("user.home", "{dir}/home"), false, true, null),
                new Case("kubeconfig property", Map.of("HOME", "{dir}/emptyhome"), Map.of("kubeconfig", "{dir}/kubeconfig"), false, true, null),
                new Case("master URL in the environment", Map.of("HOME", "{dir}/emptyhome", "KUBERNETES_MASTER", "https://k:6443"), Map.of(), false, true, null),
                new Case("master URL property", Map.of("HOME", "{dir}/emptyhome"), Map.of("kubernetes.master", "https://k:6443"), false, true, null),
                new Case("in a pod", Map.of("HOME", "{dir}/emptyhome", "KUBERNETES_SERVICE_HOST", "10.0.0.1"), Map.of(), true, true, null),
                new Case("service host without a token", Map.of("HOME", "{dir}/emptyhome", "KUBERNETES_SERVICE_HOST", "10.0.0.1"), Map.of(), false, false,
                        "in-cluster service account ({dir}/token missing)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void findsAClusterWhereFabric8Looks(Case c) throws IOException {
        Files.createDirectories(dir.resolve("home/.kube"));
        Files.writeString(dir.resolve("home/.kube/config"), "apiVersion: v1\nkind: Config\n");
        Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\n");
        Files.createDirectories(dir.resolve("emptyhome"));
        Path token = dir.resolve(c.tokenExists() ? "token-present" : "token");
        if (c.tokenExists()) {
            Files.writeString(token, "t");
        }
        Map<String, String> env = new HashMap<>();
        c.env().forEach((k, v) -> env.put(k, v.replace("{dir}", dir.toString())));
        Properties props = new Properties();
        c.properties().forEach((k, v) -> props.setProperty(k, v.replace("{dir}", dir.toString())));
        String message = Kubeconfig.missing(env, props, token);
        if (c.found()) {
            assertNull(message);
        } else {
            assertTrue(message != null && message.contains(c.inMessage().replace("{dir}", dir.toString())), String.valueOf(message));
        }
    }

    /** The whole command: one line and exit 2, not fabric8's stack trace from the first request. */
    @Test
    void runWithoutAClusterSaysSoInOneLine() throws IOException {
        Assumptions.assumeTrue(System.getenv("KUBERNETES_SERVICE_HOST") == null && System.getenv("KUBERNETES_MASTER") == null
                && System.getProperty("kubernetes.master") == null, "running inside a cluster");
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("a.conf"), "application { policy = \"static\" }\n");
        Path conf = dir.resolve("autoscaler.conf");
        Files.writeString(conf, "flinkfleet.daemon { policies-dir = \"%s\", http.port = 0 }\n".formatted(policies));
        System.setProperty("kubeconfig", dir.resolve("no-such-kubeconfig").toString());
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new PrintWriter(out), new PrintWriter(err), "run", "--config", conf.toString(), "--once");
            assertEquals(2, code, err.toString());
            assertEquals("error: no kubeconfig found (looked in $KUBECONFIG=" + dir.resolve("no-such-kubeconfig")
                    + ", in-cluster service account ($KUBERNETES_SERVICE_HOST unset)); set KUBECONFIG or run in a cluster",
                    err.toString().strip());
            assertEquals("", out.toString());
        } finally {
            System.clearProperty("kubeconfig");
        }
    }
}

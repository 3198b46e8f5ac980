package dev.flinkfleet.autoscaler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.autoscaler.testing.MockApiServer;

/** {@code run --kubeconfig FILE --context NAME}: which cluster the daemon talks to. */
class RunClusterOptionsTest {

    @TempDir
    Path dir;

    /** Two clusters; {@code current-context} is the first, which nothing serves. */
    private Path kubeconfig(String secondServer) throws IOException {
        return Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                current-context: dead
                clusters:
                - name: dead
                  cluster: { server: "https://127.0.0.1:1" }
                - name: live
                  cluster: { server: "%s", insecure-skip-tls-verify: true }
                users:
                - name: u
                  user: { token: t0k3n }
                contexts:
                - name: dead
                  context: { cluster: dead, user: u }
                - name: live
                  context: { cluster: live, user: u }
                """.formatted(secondServer));
    }

    record Case(String name, boolean fileExists, String context, String master, String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("the file's current context", true, null, "https://127.0.0.1:1/", null),
                new Case("--context picks another", true, "live", "https://live.example:6443/", null),
                new Case("unknown context is an error, not the current one", true, "prod", null,
                        "--context prod: no such context in {file} (it has dead, live)"),
                new Case("missing file", false, null, null, "--kubeconfig {file}: no such file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void choosesTheCluster(Case c) throws IOException {
        Path file = c.fileExists() ? kubeconfig("https://live.example:6443") : dir.resolve("nope");
        if (c.error() == null) {
            assertEquals(c.master(), Kubeconfig.clientConfig(file, c.context()).getMasterUrl());
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kubeconfig.clientConfig(file, c.context()));
            assertEquals(c.error().replace("{file}", file.toString()), e.getMessage());
        }
    }

    @Test
    void runOnceTalksToTheChosenContext() throws IOException {
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("a.conf"), "application { policy = \"static\" }\n");
        Path conf = Files.writeString(dir.resolve("autoscaler.conf"), """
                flinkfleet.daemon { policies-dir = "%s", http.port = 0, leader-election.enabled = false }
                flinkfleet.prometheus.enabled = false
                """.formatted(policies.toString().replace("\\", "/")));
        try (MockApiServer api = MockApiServer.start()) {
            Path file = kubeconfig(api.client().getMasterUrl().toString());
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();

            int code = Main.run(new PrintWriter(out), new PrintWriter(err), "run", "--config", conf.toString(), "--once",
                    "--kubeconfig", file.toString(), "--context", "live");

            assertEquals(0, code, err.toString());
            assertTrue(out.toString().contains("0 jobs"), out.toString());
        }
    }

    @Test
    void unknownContextStopsBeforeAnythingStarts() throws IOException {
        Path conf = Files.writeString(dir.resolve("autoscaler.conf"), "flinkfleet.daemon.http.port = 0\n");
        Path file = kubeconfig("https://live.example:6443");
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "run", "--config", conf.toString(),
                "--kubeconfig", file.toString(), "--context", "prod");
        assertEquals(RunCommand.BAD_CONFIG, code, err.toString());
        assertTrue(err.toString().contains("--context prod: no such context"), err.toString());
    }
}

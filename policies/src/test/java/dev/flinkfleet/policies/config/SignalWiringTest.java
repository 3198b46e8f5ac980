package dev.flinkfleet.policies.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.ActuationMode;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.PolicyRegistry;

/** The kafka, prometheus and actuation blocks of a policy file. */
class SignalWiringTest {

    @TempDir
    Path dir;

    private ApplicationPolicy load(String text) throws IOException {
        Path f = dir.resolve("app.conf");
        Files.writeString(f, text);
        return PolicyFiles.loadFile(f, PolicyRegistry.builtIn());
    }

    @Test
    void defaultsNameEverythingAfterTheJob() throws IOException {
        SignalWiring w = load("application { }").wiring();
        assertEquals(SignalWiring.DEFAULTS, w);
        JobRef job = new JobRef("sec", "fw-eu");
        assertEquals("fw-eu", SignalWiring.expand(w.consumerGroup(), job));
        assertEquals("sec/fw-eu.in", SignalWiring.expand("{namespace}/{name}.in", job));
    }

    @Test
    void readsEveryBlock() throws IOException {
        SignalWiring w = load("""
                application {
                  kafka { cluster = "eu", consumer-group = "{namespace}.{name}", topics = ["{name}-in", "shared"] }
                  prometheus.job = "{name}-job"
                  actuation.mode = "vertex-overrides"
                }""").wiring();
        assertEquals(new SignalWiring("eu", "{namespace}.{name}", List.of("{name}-in", "shared"), "{name}-job", ActuationMode.VERTEX_OVERRIDES), w);
    }

    record Bad(String name, String block, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> bad() {
        return Stream.of(
                new Bad("unknown mode", "actuation.mode = replicas", "app.conf:2: application.actuation.mode: 'replicas' is not a mode"),
                new Bad("unknown placeholder", "kafka.consumer-group = \"{job}\"", "app.conf:2: application.kafka.consumer-group: '{job}': unknown placeholder {job}"),
                new Bad("empty group", "kafka.consumer-group = \"\"", "app.conf:2: application.kafka.consumer-group: must not be empty"),
                new Bad("empty Prometheus job", "prometheus.job = \" \"", "app.conf:2: application.prometheus.job: must not be empty"),
                new Bad("comma in a topic", "kafka.topics = [\"a,b\"]", "app.conf:2: application.kafka.topics: 'a,b': one topic per list entry"),
                new Bad("topic twice", "kafka.topics = [a, a]", "app.conf:2: application.kafka.topics: lists a topic twice"),
                new Bad("unknown key", "kafka.group = x", "app.conf:2: application.kafka.group: unknown key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void badWiringNamesFileLineAndKey(Bad b) {
        PolicyFileException e = assertThrows(PolicyFileException.class, () -> load("application {\n  " + b.block() + "\n}"));
        assertTrue(e.errors().stream().anyMatch(x -> x.contains(b.expected())), e.errors().toString());
    }
}

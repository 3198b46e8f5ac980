package dev.flinkfleet.policies.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.policies.governor.GovernorConfig;

class PolicyFilesTest {

    private static final PolicyRegistry REGISTRY = PolicyRegistry.builtIn();

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    @Test
    void loadsAValidFile() throws IOException {
        Path f = write("fw.conf", """
                application {
                  name = "firewall"
                  select { namespaces = [security], names = ["fw-*"], labels { sink = bigquery, "app.kubernetes.io/part-of" = logs } }
                  policy = static
                  params { workers = 5 }
                  governor { max-workers = 200 }
                  sla-latency = 10m
                }
                """);
        ApplicationPolicy app = PolicyFiles.loadFile(f, REGISTRY);
        assertEquals("firewall", app.name());
        assertEquals(f, app.file());
        assertEquals(new Selector(List.of("security"), List.of("fw-*"), Map.of("sink", "bigquery", "app.kubernetes.io/part-of", "logs")), app.selector());
        assertEquals("static", app.policyName());
        assertEquals(Duration.ofMinutes(10), app.slaLatency());
        Signals s = Signals.builder(JobRef.parse("security/fw-1"), java.time.Instant.EPOCH).build();
        assertEquals(5, app.policy().recommend(s).targetWorkers(), "params reach the factory");
    }

    @Test
    void defaultsComeFromReference() throws IOException {
        ApplicationPolicy app = PolicyFiles.loadFile(write("my-app.conf", "application { policy = static }\n"), REGISTRY);
        assertEquals("my-app", app.name(), "name defaults to the file name");
        assertEquals(Selector.ANY, app.selector());
        assertEquals(Duration.ofMinutes(5), app.slaLatency());
        Signals s = Signals.builder(JobRef.parse("a/b"), java.time.Instant.EPOCH).build();
        assertEquals(1, app.policy().recommend(s).targetWorkers(), "params default from flinkfleet.policies.static");
    }

    @Test
    void forDefaultsBuildsAnInMemoryApplication() {
        ApplicationPolicy app = PolicyFiles.forDefaults("backlog-drain", REGISTRY);
        assertEquals("backlog-drain", app.name());
        assertEquals(app.policyName(), app.policy().name());
        assertEquals(GovernorSettings.defaults(), app.governorConfig());
        assertNull(app.file());
        assertEquals(Selector.ANY, app.selector());
        assertThrows(IllegalArgumentException.class, () -> PolicyFiles.forDefaults("no-such-policy", REGISTRY));
    }

    /** One rejected input: the error must name the file, the line and the key. */
    record Case(String name, String content, int line, String key, String fragment) {
    }

    static Stream<Case> rejected() {
        return Stream.of(
                new Case("syntax error", "application {\n  policy = static\n  params { workers = [1,\n}\n", 4, "syntax", "List should"),
                new Case("unknown top-level key", "application { policy = static }\naplication { }\n", 2, "aplication", "did you mean 'application'"),
                new Case("no application block", "# nothing here\n", 1, "application", "missing"),
                new Case("application not a block", "application = 5\n", 1, "application", "must be a block"),
                new Case("unknown key in application", "application {\n  polcy = static\n}\n", 2, "application.polcy", "did you mean 'policy'"),
                new Case("unknown key in select", "application {\n  select {\n    name = [\"a\"]\n  }\n}\n", 3, "application.select.name", "did you mean 'names'"),
                new Case("unknown param", "application {\n  policy = static\n  params { workerz = 3 }\n}\n", 3, "application.params.workerz", "did you mean 'workers'"),
                new Case("unknown governor key", "application {\n  governor {\n    max-worker = 3\n  }\n}\n", 3, "application.governor.max-worker", "did you mean 'max-workers'"),
                new Case("unknown key without close match", "application {\n  governor { zzzzzzzz = 1 }\n}\n", 2, "application.governor.zzzzzzzz", "known: ["),
                new Case("namespaces not a list", "application {\n  select { namespaces = prod }\n}\n", 2, "application.select.namespaces", "has type STRING rather than LIST"),
                new Case("select not a block", "application {\n  select = \"fw-*\"\n}\n", 2, "application.select", "must be a block"),
                new Case("params not a block", "application {\n  policy = static\n  params = 5\n}\n", 3, "application.params", "must be a block"),
                new Case("param wrong type", "application {\n  policy = static\n  params {\n    workers = many\n  }\n}\n", 4, "application.params.workers", "STRING"),
                new Case("param out of range", "application {\n  policy = static\n  params { workers = 0 }\n}\n", 3, "application.params.workers", "must be >= 1"),
                new Case("governor out of range", "application {\n  governor {\n    min-workers = 0\n  }\n}\n", 3, "application.governor.min-workers", ">= 1"),
                new Case("governor rule broken against a default", "application {\n  governor {\n\n    min-workers = 150\n  }\n}\n", 4, "application.governor.max-workers", "must be >= min-workers (150)"),
                new Case("param rule broken against a default", "application {\n  policy = backlog-drain\n  params {\n    scale-up-cpu = 0.5\n  }\n}\n", 4, "application.params.scale-down-cpu", "scale-up-cpu"),
                new Case("unresolved substitution", "application {\n  policy = ${nope}\n}\n", 2, "syntax", "nope"),
                new Case("governor value given a block", "application {\n  governor {\n    max-workers { a = 1 }\n  }\n}\n", 3, "application.governor.max-workers", "must be a single value"),
                new Case("sla zero", "application {\n  sla-latency = 0s\n}\n", 2, "application.sla-latency", "> 0"),
                new Case("sla not a duration", "application {\n\n  sla-latency = soon\n}\n", 3, "application.sla-latency", "duration"),
                new Case("unknown policy", "application {\n  policy = statc\n}\n", 2, "application.policy", "did you mean 'static'"),
                new Case("unknown policy lists known", "application {\n  policy = quantum\n}\n", 2, "application.policy", "known: ["),
                new Case("label value not a string", "application {\n  select {\n    labels { team = 5 }\n  }\n}\n", 3, "application.select.labels.team", "must be strings"),
                new Case("dotted label key unquoted", "application {\n  select {\n    labels {\n      app.kubernetes.io/name = x\n    }\n  }\n}\n", 4, "application.select.labels.app", "quote label keys"),
                new Case("empty name glob", "application {\n  select { names = [\"\"] }\n}\n", 2, "application.select.names", "must not be empty"),
                new Case("bad application name", "application {\n  name = \"my app\"\n}\n", 2, "application.name", "must be letters"),
                new Case("governor count not whole", "application {\n  governor {\n    max-workers = 10.5\n  }\n}\n", 3, "application.governor.max-workers", "whole number, got 10.5"),
                new Case("governor step not whole", "application {\n  governor { max-step-up-workers = 1.5 }\n}\n", 2, "application.governor.max-step-up-workers", "whole number"),
                new Case("param count not whole", "application {\n  policy = static\n  params { workers = 2.5 }\n}\n", 3, "application.params.workers", "whole number"),
                new Case("count beyond int", "application {\n  governor { max-workers = 1e12 }\n}\n", 2, "application.governor.max-workers", "range"),
                new Case("missing include", "application { policy = static }\n\ninclude \"missing.conf\"\n", 3, "include", "\"missing.conf\" not found"),
                new Case("missing include inside a block", "application {\n  include \"gov-missing.conf\"\n}\n", 2, "include", "gov-missing.conf"),
                new Case("missing required include", "application { policy = static }\ninclude required(\"nope.conf\")\n", 2, "include", "nope.conf"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejects(Case c) throws IOException {
        Path f = write("case.conf", c.content());
        PolicyFileException e = assertThrows(PolicyFileException.class, () -> PolicyFiles.loadFile(f, REGISTRY));
        String prefix = f + ":" + c.line() + ": " + c.key() + ": ";
        assertTrue(e.errors().stream().anyMatch(m -> m.startsWith(prefix) && m.contains(c.fragment())),
                "expected an error starting '" + prefix + "' containing '" + c.fragment() + "', got " + e.errors());
    }

    @Test
    void reportsEveryProblemOfAFileInLineOrder() throws IOException {
        Path f = write("many.conf", """
                application {
                  polcy = static
                  policy = static
                  governor { min-workers = 0 }
                  sla-latency = 0s
                }
                """);
        PolicyFileException e = assertThrows(PolicyFileException.class, () -> PolicyFiles.loadFile(f, REGISTRY));
        assertEquals(3, e.errors().size(), e.errors().toString());
        assertTrue(e.errors().get(0).startsWith(f + ":2: application.polcy:"), e.errors().toString());
        assertTrue(e.errors().get(1).startsWith(f + ":4: application.governor.min-workers:"), e.errors().toString());
        assertTrue(e.errors().get(2).startsWith(f + ":5: application.sla-latency:"), e.errors().toString());
    }

    /** A file with several problems in several blocks: every one is reported, each at its line and key. */
    record Many(String name, String content, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Many> manyProblems() {
        return Stream.of(
                new Many("six problems in three blocks (application, params, governor)", """
                        application {
                          polcy = static
                          sla-latency = 0s
                          policy = backlog-drain
                          params {
                            scale-up-cpu = 2
                            time-to-drain = 60
                          }
                          governor {
                            max-workers = 10.5
                            min-workers = 0
                          }
                        }
                        """, List.of("2: application.polcy", "3: application.sla-latency", "6: application.params.scale-up-cpu",
                        "7: application.params.time-to-drain", "10: application.governor.max-workers", "11: application.governor.min-workers")),
                new Many("unknown keys do not hide bad values of the same block", """
                        application {
                          policy = backlog-drain
                          params {
                            scale-up-cpuu = 0.5
                            target-cpu = -1
                          }
                          governor {
                            max-worker = 3
                            tolerance = 1.5
                            scale-up-cooldown = soon
                          }
                        }
                        """, List.of("4: application.params.scale-up-cpuu", "5: application.params.target-cpu",
                        "8: application.governor.max-worker", "9: application.governor.tolerance", "10: application.governor.scale-up-cooldown")),
                new Many("every rule of every built-in policy block", """
                        application {
                          policy = sla-headroom
                          params {
                            target-utilization = 0
                            min-scale-down-saving = 2
                            restart-time = -1s
                            safety-margin = 1
                          }
                          select { names = [""], labels { team = 5 } }
                        }
                        """, List.of("4: application.params.target-utilization", "5: application.params.min-scale-down-saving",
                        "6: application.params.restart-time", "7: application.params.safety-margin", "9: application.select.names",
                        "9: application.select.labels.team")),
                new Many("problems of an included file at its own lines", """
                        application {
                          include "included-governor.conf"
                          policy = statc
                        }
                        """, List.of("3: application.policy", "included-governor.conf:2: application.governor.max-workers",
                        "included-governor.conf:3: application.governor.min-workers")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manyProblems")
    void reportsEveryProblemOfEveryBlock(Many c) throws IOException {
        write("included-governor.conf", "governor {\n  max-workers = 10.5\n  min-workers = 0\n}\n");
        Path f = write("many.conf", c.content());
        PolicyFileException e = assertThrows(PolicyFileException.class, () -> PolicyFiles.loadFile(f, REGISTRY));
        List<String> expected = c.expected().stream().map(x -> x.contains(".conf:") ? dir.resolve(x).toString() : f + ":" + x).toList();
        assertEquals(expected.size(), e.errors().size(), e.errors().toString());
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(e.errors().get(i).startsWith(expected.get(i) + ": "), "problem " + i + ": expected '" + expected.get(i) + "', got " + e.errors());
        }
    }

    @Test
    void loadDirCollectsErrorsFromAllFilesAndDuplicateNames() throws IOException {
        write("a.conf", "application {\n  name = shared\n  policy = static\n}\n");
        write("b.conf", "application {\n  policy = static\n\n  name = shared\n}\n");
        write("c.conf", "application {\n  policy = nope\n}\n");
        write("notes.txt", "not a policy file");
        PolicyFileException e = assertThrows(PolicyFileException.class, () -> PolicyFiles.loadDir(dir, REGISTRY));
        assertEquals(2, e.errors().size(), e.errors().toString());
        assertTrue(e.errors().get(0).startsWith(dir.resolve("b.conf") + ":4: application.name: application 'shared' is already defined at "
                + dir.resolve("a.conf") + ":2"), e.errors().toString());
        assertTrue(e.errors().get(1).startsWith(dir.resolve("c.conf") + ":2: application.policy: unknown policy 'nope'"), e.errors().toString());
    }

    @Test
    void loadDirReturnsAppsSortedByFile() throws IOException {
        write("b.conf", "application { policy = static }\n");
        write("a.conf", "application { policy = static }\n");
        List<ApplicationPolicy> apps = PolicyFiles.loadDir(dir, REGISTRY);
        assertEquals(List.of("a", "b"), apps.stream().map(ApplicationPolicy::name).toList());
    }

    @Test
    void loadDirRejectsAnEmptyDirectory() {
        PolicyFileException e = assertThrows(PolicyFileException.class, () -> PolicyFiles.loadDir(dir, REGISTRY));
        assertTrue(e.getMessage().contains("no policy files"), e.getMessage());
    }
}

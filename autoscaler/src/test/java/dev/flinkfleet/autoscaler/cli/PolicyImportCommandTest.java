package dev.flinkfleet.autoscaler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.builtin.TargetUtilizationPolicy;
import dev.flinkfleet.policies.config.ApplicationPolicy;
import dev.flinkfleet.policies.config.PolicyFiles;
import dev.flinkfleet.policies.governor.GovernorConfig;

/** {@code policy import --from-flinkdeployment}: each case is imported, written, and loaded back by our own loader. */
class PolicyImportCommandTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    static String deployment(String flinkConfiguration) {
        return """
                apiVersion: flink.apache.org/v1beta1
                kind: FlinkDeployment
                metadata:
                  name: fraud-scorer
                  namespace: payments
                spec:
                  flinkVersion: v1_20
                  flinkConfiguration:
                """ + flinkConfiguration.indent(4) + """
                  job:
                    jarURI: local:///opt/flink/job.jar
                    parallelism: 4
                """;
    }

    /** What the loaded policy must be, and what the notes must mention. */
    record Case(String name, String flinkConfiguration, Consumer<ApplicationPolicy> check, List<String> notes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static TargetUtilizationPolicy tu(ApplicationPolicy a) {
        return (TargetUtilizationPolicy) a.policy();
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("nothing set: the operator's defaults, not ours", "job.autoscaler.enabled: \"true\"", a -> {
                    assertEquals(new TargetUtilizationPolicy(0.7, 0.3, Duration.ofMinutes(30), Duration.ofMinutes(5)), a.policy());
                    GovernorConfig g = a.governorConfig();
                    assertEquals(Duration.ofMinutes(5), g.scaleUpCooldown());
                    assertEquals(Duration.ofMinutes(5), g.scaleDownCooldown());
                    assertEquals(Duration.ofHours(1), g.scaleDownStabilizationWindow());
                    assertEquals(200, g.maxWorkers());
                    assertEquals(1, g.minWorkers());
                    assertEquals(0.6, g.maxStepDownFraction());
                }, List.of("job.autoscaler.enabled = true: set it to \"false\"", "sizes each job vertex")),
                new Case("every mapped option, Flink duration spellings", """
                        job.autoscaler.target.utilization: "0.6"
                        job.autoscaler.target.utilization.boundary: "0.1"
                        job.autoscaler.stabilization.interval: 2 min
                        job.autoscaler.scale-down.interval: 30min
                        job.autoscaler.catch-up.duration: 600 s
                        job.autoscaler.restart.time: "90000"
                        job.autoscaler.vertex.max-parallelism: "48"
                        job.autoscaler.vertex.min-parallelism: "3"
                        job.autoscaler.scale-down.max-factor: "0.5"
                        taskmanager.numberOfTaskSlots: "2"
                        """, a -> {
                    assertEquals(new TargetUtilizationPolicy(0.6, 0.1, Duration.ofMinutes(10), Duration.ofSeconds(90)), a.policy());
                    GovernorConfig g = a.governorConfig();
                    assertEquals(2, g.slotsPerWorker());
                    assertEquals(24, g.maxWorkers(), "48 parallelism / 2 slots");
                    assertEquals(2, g.minWorkers(), "3 parallelism / 2 slots, rounded up");
                    assertEquals(Duration.ofMinutes(2), g.scaleUpCooldown());
                    assertEquals(Duration.ofMinutes(30), g.scaleDownStabilizationWindow());
                    assertEquals(0.5, g.maxStepDownFraction());
                }, List.of()),
                new Case("older keys are read; the current key wins over the older", """
                        kubernetes.operator.job.autoscaler.target.utilization: "0.5"
                        kubernetes.operator.job.autoscaler.restart.time: 2 min
                        job.autoscaler.restart.time: 3 min
                        """, a -> assertEquals(new TargetUtilizationPolicy(0.5, 0.3, Duration.ofMinutes(30), Duration.ofMinutes(3)), a.policy()),
                        List.of()),
                new Case("deprecated scale-up.grace-period is the scale-down interval", "job.autoscaler.scale-up.grace-period: 20 min",
                        a -> assertEquals(Duration.ofMinutes(20), a.governorConfig().scaleDownStabilizationWindow()), List.of()),
                new Case("excluded periods carry over in the same format", "job.autoscaler.excluded.periods: \"* * 9-11 * * ?;9:30-10:50 && * * * ? * 2,5\"",
                        a -> assertEquals(List.of("* * 9-11 * * ?", "9:30-10:50 && * * * ? * 2,5"), a.governorConfig().excludedPeriods().expressions()),
                        List.of("only hold scale-downs")),
                new Case("excluded periods as a YAML list", "job.autoscaler.excluded.periods:\n  - \"* * 1 * * ?\"\n  - \"* * 2 * * ?\"",
                        a -> assertEquals(List.of("* * 1 * * ?", "* * 2 * * ?"), a.governorConfig().excludedPeriods().expressions()),
                        List.of("excluded.periods")),
                new Case("nested config.yaml style keys", "job:\n  autoscaler:\n    target:\n      utilization: 0.8\n",
                        a -> assertEquals(0.8, tu(a).targetUtilization()), List.of()),
                new Case("advisory mode noted, not asked to switch off", "job.autoscaler.enabled: \"true\"\njob.autoscaler.scaling.enabled: \"false\"",
                        a -> { }, List.of("advisory mode")),
                new Case("options without an equivalent are each noted", """
                        job.autoscaler.metrics.window: 10 min
                        job.autoscaler.memory.tuning.enabled: "true"
                        job.autoscaler.vertex.exclude.ids: abc
                        job.autoscaler.scale-up.max-factor: "2.0"
                        job.autoscaler.no-such-option: x
                        """, a -> { }, List.of("metrics.window = 10 min has no per-application equivalent", "memory.tuning.enabled = true has no equivalent",
                        "vertex.exclude.ids = abc has no equivalent", "scale-up.max-factor = 2", "no-such-option = x is not an option")),
                new Case("unusable values fall back to our defaults, with a note", """
                        job.autoscaler.target.utilization: lots
                        job.autoscaler.target.utilization.boundary: "0.9"
                        job.autoscaler.catch-up.duration: "0"
                        job.autoscaler.restart.time: soon
                        """, a -> assertEquals(new TargetUtilizationPolicy(0.7, 0.15, Duration.ofMinutes(5), Duration.ofMinutes(1)), a.policy()),
                        List.of("'lots' is not a number", "0.9 is not below", "catch-up.duration = 0", "'soon' is not a Flink duration")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void importsAndLoadsBack(Case c) throws IOException {
        Path manifest = Files.writeString(dir.resolve("fd.yaml"), deployment(c.flinkConfiguration()));
        Path policy = dir.resolve("fraud-scorer.conf");
        Run r = run("policy", "import", "--from-flinkdeployment", manifest.toString(), "--output", policy.toString());
        assertEquals(0, r.code(), r.err());
        for (String n : c.notes()) {
            assertTrue(r.err().contains("NOTE") && r.err().contains(n), () -> n + " not in: " + r.err());
            assertTrue(Files.readString(policy).contains(n.replace("\n", " ")), "the note is in the file too");
        }
        // Round trip through our own loader, as the daemon would load it.
        ApplicationPolicy a = PolicyFiles.loadFile(policy, PolicyRegistry.builtIn());
        assertEquals("fraud-scorer", a.name());
        assertEquals(TargetUtilizationPolicy.NAME, a.policyName());
        assertTrue(a.selector().toString().contains("payments"), a.selector().toString());
        c.check().accept(a);
    }

    @Test
    void printsToStdoutWhatItWouldWrite() throws IOException {
        Path manifest = Files.writeString(dir.resolve("fd.yaml"), deployment("job.autoscaler.target.utilization: \"0.6\""));
        Run r = run("policy", "import", "--from-flinkdeployment", manifest.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("# Imported by"), r.out());
        assertTrue(r.out().contains("target-utilization = 0.6"), r.out());
    }

    @Test
    void theOperatorsConfigFillsWhatTheJobDoesNotSet() throws IOException {
        Path manifest = Files.writeString(dir.resolve("fd.yaml"), deployment("job.autoscaler.target.utilization: \"0.5\""));
        Path cm = Files.writeString(dir.resolve("cm.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: flink-operator-config
                  namespace: flink-operator
                data:
                  config.yaml: |
                    job:
                      autoscaler:
                        target.utilization: 0.9
                        restart.time: 2 min
                        enabled: true
                """);
        Path policy = dir.resolve("fraud-scorer.conf");
        Run r = run("policy", "import", "--from-flinkdeployment", manifest.toString(), "--operator-config", cm.toString(), "-o", policy.toString());
        assertEquals(0, r.code(), r.err());
        // The job's own value wins; the operator's config comes before the built-in default.
        assertEquals(new TargetUtilizationPolicy(0.5, 0.3, Duration.ofMinutes(30), Duration.ofMinutes(2)),
                PolicyFiles.loadFile(policy, PolicyRegistry.builtIn()).policy());
        String text = Files.readString(policy);
        assertTrue(text.contains("job.autoscaler.restart.time = 2 min (in the operator's config)"), text);
        assertTrue(text.contains("job.autoscaler.target.utilization = 0.5 (set on the job)"), text);
        assertTrue(r.err().contains("job.autoscaler.enabled = true: set it to \"false\""), r.err());
    }

    @Test
    void notAFlinkDeploymentIsAnError() throws IOException {
        Path manifest = Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
        Run r = run("policy", "import", "--from-flinkdeployment", manifest.toString());
        assertEquals(Main.PROBLEMS, r.code());
        assertTrue(r.err().contains("expected one FlinkDeployment") && r.err().contains("ConfigMap"), r.err());
    }

    @Test
    void flinkDurations() {
        assertEquals(Duration.ofMinutes(5), OperatorOptionsImport.flinkDuration("5 min"));
        assertEquals(Duration.ofMinutes(5), OperatorOptionsImport.flinkDuration("5m"));
        assertEquals(Duration.ofSeconds(30), OperatorOptionsImport.flinkDuration("30 s"));
        assertEquals(Duration.ofHours(1), OperatorOptionsImport.flinkDuration("1 hours"));
        assertEquals(Duration.ofMillis(1500), OperatorOptionsImport.flinkDuration("1500"));
        assertEquals(Duration.ofMinutes(2), OperatorOptionsImport.flinkDuration("PT2M"));
    }
}

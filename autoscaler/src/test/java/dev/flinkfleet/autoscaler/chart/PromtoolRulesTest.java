package dev.flinkfleet.autoscaler.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs promtool on the chart's alert file and its unit tests, and checks the unit tests catch broken rules: each
 * mutation of files/alerts.yaml must make `promtool test rules` fail.
 */
class PromtoolRulesTest {

    private static boolean promtoolPresent;

    record Run(int exit, String output) {
    }

    @BeforeAll
    static void findPromtool() {
        try {
            promtoolPresent = promtool(Path.of("."), "--version").exit() == 0;
        } catch (IOException e) {
            promtoolPresent = false;
        }
    }

    @Test
    void alertFileIsValid() throws IOException {
        requirePromtool();
        Run run = promtool(ChartFiles.chartDir(), "check", "rules", "files/alerts.yaml");
        assertEquals(0, run.exit(), run.output());
    }

    @Test
    void alertUnitTestsPass() throws IOException {
        requirePromtool();
        Run run = promtool(ChartFiles.chartDir(), "test", "rules", "tests/alerts_test.yaml");
        assertEquals(0, run.exit(), run.output());
    }

    record Mutation(String name, String from, String to) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Mutation> mutations() {
        return Stream.of(
                new Mutation("latency compared with >= the SLA, from a lower one", "> on (flink_namespace, flink_job, application)\n"
                        + "          max by (flink_namespace, flink_job, application) (flinkfleet_job_sla_seconds)",
                        "> on (flink_namespace, flink_job, application)\n"
                        + "          0.4 * max by (flink_namespace, flink_job, application) (flinkfleet_job_sla_seconds)"),
                new Mutation("backlog alert ignores the max-workers condition",
                        ">= on (flink_namespace, flink_job, application)\n            max by (flink_namespace, flink_job, application) (flinkfleet_job_workers_max)",
                        ">= on (flink_namespace, flink_job, application)\n            0 * max by (flink_namespace, flink_job, application) (flinkfleet_job_workers_max)"),
                new Mutation("blind alert without its 15 minutes", "for: 15m\n        labels:\n          severity: warning\n          cause: signals",
                        "for: 1m\n        labels:\n          severity: warning\n          cause: signals"),
                new Mutation("stale decisions at 30 minutes instead of 10", "> 600", "> 1800"),
                new Mutation("a single failed cycle pages", "for: 10m", "for: 0m"),
                new Mutation("stalled cycles judged by the standby's timestamp", "max by (namespace, job) (flinkfleet_last_cycle",
                        "min by (namespace, job) (flinkfleet_last_cycle"),
                new Mutation("backend judged by the standby's age", "min by (namespace, job, backend) (flinkfleet_backend_last_success",
                        "max by (namespace, job, backend) (flinkfleet_backend_last_success"),
                new Mutation("a backend no job reads pages", "> 600\n            and on (namespace, job, backend)",
                        "> 600\n            or on (namespace, job, backend)"),
                new Mutation("a shard counts as unheld when one replica does not hold it", "max by (namespace, job, shard) (flinkfleet_shard_held) == 0",
                        "min by (namespace, job, shard) (flinkfleet_shard_held) == 0"),
                new Mutation("one burst of conflicts pages", "(flinkfleet_patch_conflicts_total[15m])) > 15", "(flinkfleet_patch_conflicts_total[15m])) > 5"),
                new Mutation("a job failing for 5 minutes pages as one failing for 10",
                        "(flinkfleet_job_failing_since_timestamp_seconds) > 600", "(flinkfleet_job_failing_since_timestamp_seconds) > 200"),
                new Mutation("down when any replica is down", "absent(up{job=~\".*flink-autoscaler.*\"} == 1)",
                        "min(up{job=~\".*flink-autoscaler.*\"}) == 0 or absent(up{job=~\".*flink-autoscaler.*\"})"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void unitTestsCatchABrokenRule(Mutation m, @TempDir Path tmp) throws IOException {
        requirePromtool();
        Path chart = ChartFiles.chartDir();
        String rules = Files.readString(chart.resolve("files/alerts.yaml"));
        assertTrue(rules.contains(m.from()), "mutation no longer applies: " + m.from());
        Files.createDirectories(tmp.resolve("files"));
        Files.createDirectories(tmp.resolve("tests"));
        Files.writeString(tmp.resolve("files/alerts.yaml"), rules.replace(m.from(), m.to()));
        Files.copy(chart.resolve("tests/alerts_test.yaml"), tmp.resolve("tests/alerts_test.yaml"));

        assertEquals(0, promtool(tmp, "check", "rules", "files/alerts.yaml").exit(), "mutant must still be a valid rule file");
        Run run = promtool(tmp, "test", "rules", "tests/alerts_test.yaml");
        assertNotEquals(0, run.exit(), "alerts_test.yaml did not notice: " + m.name());
    }

    private static void requirePromtool() {
        assumeTrue(promtoolPresent, "promtool not on PATH: install it with "
                + "`apt-get install -y --no-install-recommends prometheus` (CI's .ci/run does) to run the alert tests");
    }

    private static Run promtool(Path dir, String... args) throws IOException {
        List<String> cmd = Stream.concat(Stream.of("promtool"), Stream.of(args)).toList();
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("promtool " + String.join(" ", args) + " did not finish");
            }
            return new Run(p.exitValue(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

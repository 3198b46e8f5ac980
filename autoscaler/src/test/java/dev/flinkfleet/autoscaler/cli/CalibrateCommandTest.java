package dev.flinkfleet.autoscaler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.simulator.calibrate.JobHistory;
import dev.flinkfleet.simulator.calibrate.ModelHistory;
import dev.flinkfleet.simulator.model.JobModel;
import dev.flinkfleet.simulator.model.JobModelFile;
import dev.flinkfleet.testkit.PrometheusServer;

/**
 * {@code calibrate} against the real Prometheus server holding two jobs' histories, written as Flink's reporter
 * names them (one series per source subtask) and backfilled with promtool: a busy job run at three sizes by
 * job model M2, whose model it must give back, and a job that never ran busy, which it must refuse.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CalibrateCommandTest {

    static final Path M2 = Path.of("../simulator/src/main/resources/job-models/m2.conf");
    static final int STEP = 15;

    PrometheusServer prometheus;
    JobModel model;
    Instant end;

    @BeforeAll
    void start() throws Exception {
        Optional<Path> binary = PrometheusServer.findBinary();
        Assumptions.assumeTrue(binary.isPresent(), "prometheus binary not found (PATH or $PROMETHEUS_BIN)");
        model = JobModelFile.load(M2).modelFor("x.csv");
        // Two hours ending a few minutes ago, so every query sees it whole.
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(130, ChronoUnit.MINUTES);
        JobHistory busy = ModelHistory.of(model, new int[] {4, 8, 16}, 1.3, 2400, STEP, STEP, start, 11);
        JobHistory idle = ModelHistory.of(model, new int[] {8}, 0.2, 7200, STEP, STEP, start, 12);
        end = start.plusSeconds(7200);
        StringBuilder om = new StringBuilder();
        openMetrics(om, "busy_job", busy);
        openMetrics(om, "idle_job", idle);
        // Two FlinkDeployments named orders in two namespaces, both running a Flink job named orders, with the
        // labels a PodMonitor copies from their pods: busy in team-a, idle in team-b.
        openMetricsLabelled(om, "namespace=\"team-a\",app=\"orders\",job_name=\"orders\"", busy);
        openMetricsLabelled(om, "namespace=\"team-b\",app=\"orders\",job_name=\"orders\"", idle);
        om.append("# EOF\n");
        prometheus = PrometheusServer.backfilled(binary.get(), om.toString());
    }

    @AfterAll
    void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    /** The history as Flink's PrometheusReporter would have exposed it, a NaN where a series went stale. */
    static void openMetrics(StringBuilder om, String job, JobHistory h) {
        openMetricsLabelled(om, "job_name=\"" + job + "\"", h);
    }

    /** The same, with {@code id} the labels naming the job on every series. */
    static void openMetricsLabelled(StringBuilder om, String id, JobHistory h) {
        StringBuilder[] families = new StringBuilder[5];
        for (int i = 0; i < families.length; i++) {
            families[i] = new StringBuilder();
        }
        int lastUp = 0;
        for (JobHistory.Point p : h.points()) {
            long t = p.at().getEpochSecond();
            boolean up = !Double.isNaN(p.workers());
            int w = up ? (int) p.workers() : 0;
            // A running job's subtasks report; while it restarts the series it had go stale (NaN stands in for
            // the staleness marker a real scrape would leave).
            for (int i = 0; i < (up ? w : lastUp); i++) {
                sample(families[0], "flink_taskmanager_job_task_operator_numRecordsOutPerSecond",
                        "" + id + ",operator_name=\"Source:_kafka\",subtask_index=\"" + i + "\"",
                        up ? p.throughput() / w : Double.NaN, t);
                sample(families[1], "flink_taskmanager_job_task_busyTimeMsPerSecond",
                        "" + id + ",task_name=\"Source:_kafka\",subtask_index=\"" + i + "\"", up ? p.busy() * 1000 : Double.NaN, t);
            }
            lastUp = up ? w : lastUp;
            sample(families[2], "flink_jobmanager_job_numRestarts", id, p.restarts(), t);
            sample(families[3], "flink_jobmanager_job_numberOfCompletedCheckpoints", id, p.completedCheckpoints(), t);
            sample(families[4], "flink_jobmanager_job_uptime", id, 1000.0 * t, t);
        }
        String[] names = {"flink_taskmanager_job_task_operator_numRecordsOutPerSecond", "flink_taskmanager_job_task_busyTimeMsPerSecond",
            "flink_jobmanager_job_numRestarts", "flink_jobmanager_job_numberOfCompletedCheckpoints", "flink_jobmanager_job_uptime"};
        for (int i = 0; i < families.length; i++) {
            if (!om.toString().contains("# TYPE " + names[i] + " ")) {
                om.append("# TYPE ").append(names[i]).append(" gauge\n");
            }
        }
        // OpenMetrics wants each family's samples together; promtool wants them in time order per series.
        for (StringBuilder f : families) {
            om.append(f);
        }
    }

    static void sample(StringBuilder b, String name, String labels, double v, long t) {
        b.append(name).append('{').append(labels).append("} ")
                .append(Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.6f", v)).append(' ').append(t).append('\n');
    }

    record Run(int exit, String out, String err) {
    }

    Run calibrate(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("calibrate", "--prometheus", prometheus.url().toString(),
                "--to", end.toString(), "--step", STEP + "s"));
        if (!java.util.List.of(args).contains("--since")) {
            all.addAll(java.util.List.of("--since", "2h"));
        }
        all.addAll(java.util.List.of(args));
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void givesBackTheModelThatMadeTheHistory(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fitted.conf");
        Run r = calibrate("--job", "busy_job", "--out", file.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        JobModel fitted = JobModelFile.load(file).modelFor("x.csv");
        assertEquals(model.perWorkerEps(), fitted.perWorkerEps(), 0.05 * model.perWorkerEps(), r.out());
        assertEquals(model.scalingExponent(), fitted.scalingExponent(), 0.03, r.out());
        assertEquals(model.restartSeconds(), fitted.restartSeconds(), STEP, r.out());
        assertEquals(model.checkpointIntervalSeconds(), fitted.checkpointIntervalSeconds(), 0.15 * model.checkpointIntervalSeconds(), r.out());
        assertEquals(STEP, fitted.scrapeIntervalSeconds(), 1, r.out());
        assertTrue(r.out().contains("log-log least squares") && r.out().contains("median of 2 restarts"), r.out());
    }

    @Test
    void selectsOneFlinkDeploymentByNamespaceAndName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fitted.conf");
        Run r = calibrate("--job", "team-a/orders", "--out", file.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        // team-a's own history: team-b's idle job of the same name is not mixed in.
        assertEquals(model.perWorkerEps(), JobModelFile.load(file).modelFor("x.csv").perWorkerEps(), 0.05 * model.perWorkerEps(), r.out());
    }

    /** Input the command must refuse, and what it must say. */
    record Bad(String name, String[] args, String says) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> bad() {
        return Stream.of(
                new Bad("never busy", new String[] {"--job", "idle_job"}, "never ran busy"),
                new Bad("unknown job", new String[] {"--job", "no_such_job"}, "no throughput for job_name=\"no_such_job\""),
                new Bad("the other namespace's job of the same name never ran busy", new String[] {"--job", "team-b/orders"}, "never ran busy"),
                new Bad("a job name shared by two namespaces is ambiguous", new String[] {"--job", "orders"}, "2 series"),
                new Bad("no such FlinkDeployment", new String[] {"--job", "team-c/orders"}, "no throughput for namespace=\"team-c\", app=\"orders\""),
                new Bad("empty range", new String[] {"--job", "busy_job", "--since", "0s"}, "--since must be positive"),
                new Bad("bad slots", new String[] {"--job", "busy_job", "--slots-per-worker", "0"}, "--slots-per-worker must be >= 1"));
    }

    @ParameterizedTest
    @MethodSource("bad")
    void refusesWithAReasonAndWritesNothing(Bad b, @TempDir Path dir) {
        Path file = dir.resolve("fitted.conf");
        String[] args = Stream.concat(Stream.of(b.args()), Stream.of("--out", file.toString())).toArray(String[]::new);
        Run r = calibrate(args);
        assertEquals(CalibrateCommand.REFUSED, r.exit(), r.out() + r.err());
        assertTrue((r.out() + r.err()).contains(b.says()), r.out() + r.err());
        assertFalse(Files.exists(file));
    }

    @Test
    void anUnreachablePrometheusIsNamedWithoutItsPassword() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "calibrate", "--job", "busy_job",
                "--prometheus", "http://admin:hunter2@127.0.0.1:1", "--since", "1h");
        assertEquals(CalibrateCommand.REFUSED, code, out + " " + err);
        assertTrue(err.toString().contains("127.0.0.1:1"), err.toString());
        assertFalse((out + err.toString()).contains("hunter2"), err.toString());
    }
}

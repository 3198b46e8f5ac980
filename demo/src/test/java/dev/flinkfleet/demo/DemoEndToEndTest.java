package dev.flinkfleet.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import dev.flinkfleet.autoscaler.flinkrest.JobDetails;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentView;
import dev.flinkfleet.policies.ReasonCode;

/**
 * The real daemon end to end against the real Flink job: traffic rises beyond one subtask's CPU, lag grows, the
 * daemon patches the FlinkDeployment up and the stand-in operator rescales the job through Flink's REST API;
 * traffic falls, and after the stabilisation window it patches it down again. What the job runs at is read
 * from Flink's REST API, not from the spec. Kafka-only signals (committed offsets, lag-threshold policy), so it
 * needs no Prometheus.
 */
class DemoEndToEndTest {

    /** One subtask's capacity on a free core (5 ms of CPU per record); 2.5 of them is more than this machine has. */
    private static final double PER_WORKER = 200;
    private static final double HIGH_UNTIL = 20;

    @Test
    void scalesTheRealFlinkJobUpOnRisingLagAndDownAfterTrafficFalls() throws Exception {
        RateSchedule step = RateSchedule.steps(new double[] {0, HIGH_UNTIL}, new double[] {2.5 * PER_WORKER, 0.25 * PER_WORKER});
        var options = new DemoEnvironment.Options("clicks-enrichment", "demo-clicks", "clicks", 4, 1, PER_WORKER,
                Duration.ofMillis(500), Duration.ofSeconds(2), step, Optional.empty(), true);
        var timing = new DemoConfig.Timing(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(6),
                Duration.ofSeconds(8), 4);
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        DecisionPrinter printer = new DecisionPrinter(new PrintStream(lines, true, StandardCharsets.UTF_8), t -> "");

        try (DemoRun run = DemoRun.start(options, DemoConfig.Policy.LAG_THRESHOLD, timing, printer)) {
            RealFlinkJob job = (RealFlinkJob) run.env().job();
            // Every parallelism Flink's REST API reported for the job while the daemon worked.
            Set<Integer> seen = new TreeSet<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline && !(hasUp(printer) && hasDownAfterHigh(printer))) {
                seen.add(job.details().parallelism());
                Thread.sleep(200);
            }
            String transcript = lines.toString(StandardCharsets.UTF_8);
            List<DecisionPrinter.Rescale> rescales = printer.rescales();
            assertTrue(hasUp(printer), "no scale-up while traffic was high:\n" + transcript);
            DecisionPrinter.Rescale firstUp = rescales.stream().filter(r -> r.to() > r.from()).findFirst().orElseThrow();
            assertTrue(firstUp.atSeconds() < HIGH_UNTIL, "first scale-up came after traffic fell: " + firstUp + "\n" + transcript);
            // Lag drove it; when the lag already asked for more than max-workers, the reason says it was capped.
            assertTrue(Set.of(ReasonCode.SCALE_UP_LAG.toString(), ReasonCode.CAPPED_PARALLELISM.toString()).contains(firstUp.reason()),
                    firstUp + "\n" + transcript);
            assertTrue(hasDownAfterHigh(printer), "no scale-down after traffic fell:\n" + transcript);

            // The daemon's last applied size is what the API server holds, the operator rolled it out, and Flink runs
            // every vertex of the same job at exactly that parallelism.
            DecisionPrinter.Rescale last = rescales.get(rescales.size() - 1);
            DemoEndToEndTestSupport.awaitStable(run.env());
            FlinkDeploymentView v = run.env().deploymentView();
            assertEquals(last.to(), v.taskManagerReplicas(), transcript);
            JobDetails d = job.details();
            assertEquals("RUNNING", d.state(), d.toString());
            assertTrue(d.vertices().stream().allMatch(x -> x.parallelism() == last.to()), d + "\n" + transcript);
            int peak = rescales.stream().mapToInt(DecisionPrinter.Rescale::to).max().orElseThrow();
            assertTrue(last.to() < peak, "ended at the peak size " + peak + ":\n" + transcript);
            assertTrue(seen.contains(peak), "Flink never ran at the peak size " + peak + ", only " + seen + ":\n" + transcript);
            assertTrue(run.env().operator().upgrades() >= rescales.size(), "every rescale went through the operator");
            System.out.println("real Flink " + dev.flinkfleet.testkit.flink.FlinkJob.flinkVersion() + " job " + job.jobId()
                    + " ran at parallelism " + seen + "\n" + transcript);
        }
    }

    private static boolean hasUp(DecisionPrinter p) {
        return p.rescales().stream().anyMatch(r -> r.to() > r.from());
    }

    /** A scale-down that started once traffic had dropped, after a scale-up. */
    private static boolean hasDownAfterHigh(DecisionPrinter p) {
        return p.rescales().stream().anyMatch(r -> r.to() < r.from() && r.atSeconds() > HIGH_UNTIL);
    }
}

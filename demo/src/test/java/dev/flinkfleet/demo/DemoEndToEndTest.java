package dev.flinkfleet.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentView;
import dev.flinkfleet.policies.ReasonCode;

/**
 * The real daemon end to end: traffic rises, lag grows, the daemon patches the FlinkDeployment up; traffic
 * falls, and after the stabilisation window it patches it down. Kafka-only signals (lag-threshold policy), so
 * it needs no Prometheus.
 */
class DemoEndToEndTest {

    private static final double PER_WORKER = 100;
    private static final double HIGH_UNTIL = 30;

    @Test
    void scalesUpOnRisingLagAndDownAfterTrafficFalls() throws Exception {
        // 3.5 workers' worth of traffic for 30 s, then half a worker's worth.
        RateSchedule step = RateSchedule.steps(new double[] {0, HIGH_UNTIL}, new double[] {3.5 * PER_WORKER, 0.5 * PER_WORKER});
        var options = new DemoEnvironment.Options("clicks-enrichment", "demo-clicks", "clicks", 8, 1, PER_WORKER,
                Duration.ofMillis(500), Duration.ofSeconds(2), step, Optional.empty());
        var timing = new DemoConfig.Timing(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(6),
                Duration.ofSeconds(10), 8);
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        DecisionPrinter printer = new DecisionPrinter(new PrintStream(lines, true, StandardCharsets.UTF_8), t -> "");

        try (DemoRun run = DemoRun.start(options, DemoConfig.Policy.LAG_THRESHOLD, timing, printer)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(85).toNanos();
            while (System.nanoTime() < deadline && !(hasUp(printer) && hasDownAfterHigh(printer))) {
                Thread.sleep(200);
            }
            String transcript = lines.toString(StandardCharsets.UTF_8);
            List<DecisionPrinter.Rescale> rescales = printer.rescales();
            assertTrue(hasUp(printer), "no scale-up while traffic was high:\n" + transcript);
            DecisionPrinter.Rescale firstUp = rescales.stream().filter(r -> r.to() > r.from()).findFirst().orElseThrow();
            assertTrue(firstUp.atSeconds() < HIGH_UNTIL, "first scale-up came after traffic fell: " + firstUp + "\n" + transcript);
            assertEquals(ReasonCode.SCALE_UP_LAG.toString(), firstUp.reason(), transcript);
            assertTrue(hasDownAfterHigh(printer), "no scale-down after traffic fell:\n" + transcript);

            // The daemon's last applied size is what the API server holds, and the operator finished rolling it out.
            DecisionPrinter.Rescale last = rescales.get(rescales.size() - 1);
            DemoEndToEndTestSupport.awaitStable(run.env());
            FlinkDeploymentView v = run.env().deploymentView();
            assertEquals(last.to(), v.taskManagerReplicas(), transcript);
            int peak = rescales.stream().mapToInt(DecisionPrinter.Rescale::to).max().orElseThrow();
            assertTrue(last.to() < peak, "ended at the peak size " + peak + ":\n" + transcript);
            assertTrue(run.env().operator().upgrades() >= rescales.size(), "every rescale went through the operator");
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

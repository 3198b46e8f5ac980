package dev.flinkfleet.demo.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.flinkfleet.testkit.PrometheusServer;

/**
 * record → calibrate → simulate → compare on a real run: the real Flink job (MiniCluster) under the unchanged
 * daemon (flink-rest) on a 150 s ramp and burst produced into the embedded broker in real time, scraped by the
 * real Prometheus; then the topic recorded back into a trace, a job model calibrated from Prometheus's history,
 * the trace replayed through the simulator under the same policy file, and the two compared against the goal.
 * About 3 minutes.
 */
class FidelityEndToEndTest {

    @TempDir
    Path dir;

    /** Widest max-backlog error the suite accepts: 1.5 × the worst run measured (23 %); a broken model is far outside it. */
    static final double REGRESSION_BOUND = 0.35;

    @Test
    void theSimulatorPredictsWhatTheDaemonDoesToTheRealJob() throws Exception {
        Optional<Path> prometheus = PrometheusServer.findBinary();
        assumeTrue(prometheus.isPresent(), "needs the prometheus binary (Debian: apt-get install prometheus)");
        FidelitySettings settings = FidelitySettings.of(FidelityLoad.quick());

        Fidelity.Report r = Fidelity.run(settings, prometheus.get(), dir, line -> { });
        System.out.println(r.text());

        Comparison c = r.comparison();
        // The real job was driven through several sizes, or there is nothing to compare.
        assertTrue(c.real().rescales().size() >= 2, r.text());
        assertTrue(c.real().rescales().stream().mapToInt(Outcome.Rescale::to).max().orElse(1) >= 4, r.text());
        // The calibration fitted a capacity and a restart time from the run itself.
        assertTrue(Replay.value(r.replay().calibration(), "per-worker-eps").isPresent(), r.text());
        assertTrue(Replay.value(r.replay().calibration(), "restart-seconds").isPresent(), r.text());
        // The recorded trace holds every record produced.
        assertEquals(settings.load().totalRecords(), r.replay().recordedRecords(), settings.load().totalRecords() * 0.02, r.text());
        // The backlog the simulator predicts. The goal (± 20 %) held on most runs measured, but runs land at -23 % and
        // +21 % too, so the suite guards against a regression with a wider bound; the goal itself is reported by
        // `demo --compare` and asserted in strict mode below.
        double backlogError = Math.abs(c.simulated().maxBacklog() / c.real().maxBacklog() - 1);
        assertTrue(backlogError <= REGRESSION_BOUND, "max backlog off by " + Math.round(100 * backlogError) + " %\n" + r.text());
        // The whole goal (rescale count ± 1, worker-seconds ± 20 % too) held on about half the runs measured: the
        // real daemon's decisions near a threshold flip on meter and pendingRecords noise the deterministic model
        // does not have (see BENCHMARKS.md). Asserted when asked: -Dflinkfleet.fidelity.strict=true.
        if (Boolean.getBoolean("flinkfleet.fidelity.strict")) {
            assertTrue(c.withinGoal(), String.join("; ", c.misses()) + "\n" + r.text());
        }
    }
}

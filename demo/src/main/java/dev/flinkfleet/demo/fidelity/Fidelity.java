package dev.flinkfleet.demo.fidelity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

import dev.flinkfleet.testkit.flink.FlinkJob;

/** record → calibrate → simulate → compare, for one real run. */
public final class Fidelity {

    private Fidelity() {
    }

    /** The comparison, the fitted model and the files written. */
    public record Report(FidelitySettings settings, Comparison comparison, Replay.Result replay, String text) {

        /** Real versus the model under the real daemon's own rescales: the model's error without the decisions'. */
        public Comparison actions() {
            return new Comparison(comparison.real(), replay.actions());
        }
    }

    public static Report run(FidelitySettings settings, Path prometheusBinary, Path dir, Consumer<String> log) throws Exception {
        try (RealRun real = new RealRun(settings, dir, log)) {
            real.startEnvironment(prometheusBinary);
            log.accept(String.format(Locale.ROOT, "producing %s (%.0f records) into %s; one subtask handles about %.0f records/s",
                    settings.load().name(), settings.load().totalRecords(), RealRun.TOPIC, 1e9 / settings.costPerRecord().toNanos()));
            Outcome measured = real.run();
            log.accept("recording the trace back, calibrating, replaying");
            Replay.Result replay = new Replay(settings, dir).run(real, measured);
            Comparison c = new Comparison(measured, replay.outcome());
            String text = String.format(Locale.ROOT, """
                    Fidelity: Flink %s MiniCluster under the daemon (flink-rest) vs the simulator, load %s
                    cost %.1f ms/record, %d partitions, control %d s, scrape %d s, checkpoint %d s, SLA %d s
                    real: backlog = log end − (restore offsets + records the map took in), latency = age of the oldest unprocessed record (every 0.5 s)
                    simulated: the calibrated model replaying the recorded trace under the same policy file

                    %s
                    %s

                    the model under the real daemon's own rescales (same times and sizes; the model's error alone):
                    %s
                    fitted model (%s):
                    %s""", FlinkJob.flinkVersion(), settings.load().name(), settings.costPerRecord().toNanos() / 1e6, settings.partitions(),
                    settings.controlInterval().toSeconds(), settings.scrapeInterval().toSeconds(), settings.checkpointInterval().toSeconds(),
                    settings.slaSeconds(), c.table(),
                    c.withinGoal() ? "within the goal (rescales ± 1, max backlog and worker-seconds ± 20 %)" : "OUTSIDE the goal: " + String.join("; ", c.misses()),
                    new Comparison(measured, replay.actions()).table(), replay.model(), Files.readString(replay.model()));
            return new Report(settings, c, replay, text);
        }
    }
}

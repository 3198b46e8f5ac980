package dev.flinkfleet.demo.fidelity;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.flinkfleet.testkit.PrometheusServer;

/**
 * The full fidelity comparison as a command: runs the real Flink job under the daemon on {@link FidelityLoad#full()}
 * (about 4 minutes), records the trace back, calibrates, replays, and prints the table real versus simulated.
 * Exit 0 within the goal, 1 outside it, 2 when it cannot run (no Prometheus binary).
 *
 * <pre>bin/autoscaler demo --compare [--quick] [--out DIR]</pre>, or
 * <pre>java -cp demo/target/flinkfleet-demo.jar dev.flinkfleet.demo.fidelity.FidelityMain [--quick] [DIR]</pre>
 */
public final class FidelityMain {

    private FidelityMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path dir = null;
        for (String a : args) {
            if (a.equals("--quick")) {
                quick = true;
            } else {
                dir = Path.of(a);
            }
        }
        System.exit(run(quick, dir, System.out, System.err));
    }

    /** Runs the comparison (in {@code dir}, or a temp folder when null); the exit code as above. */
    public static int run(boolean quick, Path dir, PrintStream out, PrintStream err) throws Exception {
        var binary = PrometheusServer.findBinary();
        if (binary.isEmpty()) {
            err.println("error: no prometheus binary on PATH (or $PROMETHEUS_BIN); the comparison calibrates from its history");
            return 2;
        }
        Path where = dir != null ? dir : Files.createTempDirectory("fidelity-");
        Files.createDirectories(where);
        FidelitySettings settings = FidelitySettings.of(quick ? FidelityLoad.quick() : FidelityLoad.full());
        Fidelity.Report r = Fidelity.run(settings, binary.get(), where, out::println);
        out.println();
        out.println(r.text());
        return r.comparison().withinGoal() ? 0 : 1;
    }
}

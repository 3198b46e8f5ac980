package dev.flinkfleet.autoscaler.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

import dev.flinkfleet.autoscaler.config.DaemonConfigFile;
import dev.flinkfleet.autoscaler.config.Secrets;
import dev.flinkfleet.autoscaler.prometheus.JobHistoryReader;
import dev.flinkfleet.autoscaler.prometheus.PrometheusClient;
import dev.flinkfleet.autoscaler.prometheus.PrometheusException;
import dev.flinkfleet.autoscaler.prometheus.PrometheusSettings;
import dev.flinkfleet.simulator.calibrate.Calibration;
import dev.flinkfleet.simulator.calibrate.JobHistory;
import dev.flinkfleet.simulator.calibrate.ModelFitter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code calibrate}: fits a job-model file for {@code simulate --job} from a real job's Prometheus history and
 * prints every value with its evidence and how sure it is. Refuses (exit 2, nothing written) when the history
 * cannot support a capacity; values it cannot fit are left to the model's defaults and said so.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Fit a job model (per-worker rate, scaling exponent, restart time, checkpoint interval, metrics delay) "
                + "from a job's Prometheus history; print each value with its evidence.",
                "Exit 0 when written, 2 when the history cannot support a model or the input is bad."})
public final class CalibrateCommand implements Callable<Integer> {

    static final int REFUSED = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--job", required = true, paramLabel = "NAME", description = "The job: NAMESPACE/NAME of a FlinkDeployment (prometheus.namespace-label and "
            + "deployment-label), or a Flink job name (prometheus.job-label).")
    String job;

    @Option(names = "--config", paramLabel = "FILE", description = "Daemon config whose prometheus block (URL, credentials, job label, selector, queries) to use.")
    Path config;

    @Option(names = "--prometheus", paramLabel = "URL", description = "Prometheus base URL (overrides the config's).")
    String prometheus;

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "7d",
            description = "History up to --to to read, e.g. 6h, 7d (default ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "--to", paramLabel = "TIME", description = "End of the history, ISO-8601 (default: now).")
    Instant to;

    @Option(names = "--step", paramLabel = "DURATION", defaultValue = "15s", description = "Query resolution (default ${DEFAULT-VALUE}).")
    String step;

    @Option(names = "--slots-per-worker", defaultValue = "1", description = "Task slots per TaskManager: workers = source parallelism ÷ this (default ${DEFAULT-VALUE}).")
    int slotsPerWorker;

    @Option(names = "--out", paramLabel = "FILE", description = "Job-model file to write (default: print it).")
    Path out;

    private final Clock clock;

    public CalibrateCommand() {
        this(Clock.systemUTC());
    }

    CalibrateCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Config c;
        Duration range;
        Duration resolution;
        try {
            c = load(err);
            if (c == null) {
                return REFUSED;
            }
            range = Durations.positive("--since", since);
            resolution = Durations.positive("--step", step);
            if (resolution.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException("--step must be whole seconds, got " + step);
            }
        } catch (IllegalArgumentException | ConfigException e) {
            err.println("error: " + Secrets.maskSecrets(e.getMessage()));
            return REFUSED;
        }
        if (slotsPerWorker < 1) {
            err.println("error: --slots-per-worker must be >= 1, got " + slotsPerWorker);
            return REFUSED;
        }
        Instant end = to != null ? to : clock.instant();
        Instant start = end.minus(range);
        JobHistory history;
        PrometheusSettings settings;
        try {
            settings = PrometheusSettings.fromConfig(c);
            JobHistoryReader reader = JobHistoryReader.of(c, new PrometheusClient(settings.client(), clock), job);
            history = reader.read(start, end, resolution, slotsPerWorker, pct -> {
                err.print("\rreading " + job + "'s history from " + Secrets.maskUrl(settings.client().baseUrl()) + ": " + pct + " %");
                err.flush();
            });
            err.println();
        } catch (JobHistoryReader.NoHistoryException | ConfigException e) {
            err.println();
            err.println("error: " + Secrets.maskSecrets(e.getMessage()));
            return REFUSED;
        } catch (PrometheusException e) {
            err.println();
            err.println("error: Prometheus at " + Secrets.maskUrl(c.getString("flinkfleet.prometheus.url")) + ": "
                    + Secrets.maskSecrets(e.getMessage()));
            return REFUSED;
        }
        Calibration fit = ModelFitter.DEFAULT.fit(history);
        stdout.print(fit.report());
        if (!fit.usable()) {
            stdout.println("refused: no model written; the per-worker rate could not be fitted ("
                    + fit.get("per-worker-eps").orElseThrow().evidence() + ")");
            stdout.flush();
            return REFUSED;
        }
        String file = fit.modelFile(List.of(
                "Job model fitted by `bin/autoscaler calibrate` from " + job + "'s Prometheus history,",
                start + " to " + end + ", step " + resolution.toSeconds() + " s, " + slotsPerWorker + " slot(s) per worker.",
                "Keys not set here keep the simulator's reference.conf defaults. Use: simulate --job THIS_FILE ..."));
        if (out == null) {
            stdout.println();
            stdout.print(file);
        } else {
            Files.writeString(out, file);
            stdout.println("wrote " + out);
        }
        stdout.flush();
        return 0;
    }

    /** The daemon config (or reference.conf alone), with --prometheus applied; null after printing problems. */
    private Config load(PrintWriter err) {
        Config c;
        if (config != null) {
            DaemonConfigFile.Result r = DaemonConfigFile.load(config, false, false);
            if (!r.ok()) {
                r.problems().forEach(p -> err.println("ERROR " + p));
                return null;
            }
            c = r.config();
        } else {
            c = ConfigFactory.defaultReference(CalibrateCommand.class.getClassLoader());
        }
        if (prometheus != null) {
            c = c.withValue("flinkfleet.prometheus.url", ConfigValueFactory.fromAnyRef(prometheus, "--prometheus"));
        }
        return c;
    }
}

package dev.flinkfleet.autoscaler.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.typesafe.config.Config;

import dev.flinkfleet.autoscaler.config.Secrets;
import dev.flinkfleet.autoscaler.prometheus.PrometheusClient;
import dev.flinkfleet.autoscaler.prometheus.PrometheusSettings;
import dev.flinkfleet.autoscaler.record.Progress;
import dev.flinkfleet.autoscaler.record.PrometheusRates;
import dev.flinkfleet.autoscaler.record.RangeChunks;
import dev.flinkfleet.autoscaler.record.RecordException;
import dev.flinkfleet.autoscaler.record.StepGrid;
import dev.flinkfleet.autoscaler.record.TraceFileWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trace record prometheus}: a job's input rate (the daemon's input-rate query with the job selected) or any
 * one-series rate query, from {@code query_range} in chunks under the server's point limit (see
 * {@link PrometheusRates}). Connects as the daemon does ({@code flinkfleet.prometheus} of {@code --config}:
 * URL, bearer token, timeout), or to {@code --url}.
 */
@Command(name = "prometheus", mixinStandardHelpOptions = true,
        description = {"Record a job's input rate from Prometheus: the daemon's input-rate query (flinkfleet.prometheus.queries."
                + "input-rate, with {{window}} = the step) for --job, or any --query that returns one series. Each row is the "
                + "value at the end of its step. Default range: --last 1d.",
                "Example: trace record prometheus --config config/autoscaler.conf --job orders --last 7d -o traces/orders.csv"})
final class TraceRecordPrometheusCommand implements Callable<Integer> {

    /** Default range when neither --from nor --last is given. */
    static final Duration DEFAULT_LAST = Duration.ofDays(1);

    @Spec
    CommandSpec spec;

    @Mixin
    RecordRangeOptions range;

    static final class What {
        @Option(names = "--job", required = true, paramLabel = "NAME", description = "Job whose input rate to record: NAMESPACE/NAME of a FlinkDeployment (its series' namespace and "
                + "deployment labels), or a Flink job name (the config's job-label).")
        String job;

        @Option(names = "--query", required = true, paramLabel = "PROMQL", description = "A query giving one series of events per second.")
        String query;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    @Option(names = "--config", paramLabel = "FILE", description = "Daemon config to take flinkfleet.prometheus from (URL, token, queries).")
    Path config;

    @Option(names = "--url", paramLabel = "URL", description = "Prometheus base URL, e.g. http://localhost:9090 (overrides the config's).")
    URI url;

    @Option(names = "--max-points", defaultValue = "11000", paramLabel = "N",
            description = "Points per query_range request, at most Prometheus's 11000 (default: ${DEFAULT-VALUE}).")
    int maxPoints;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return record(out, err);
        } catch (RecordException e) {
            err.println("error: " + Secrets.maskSecrets(e.getMessage()));
            return RunCommand.BAD_CONFIG;
        }
    }

    private int record(PrintWriter out, PrintWriter err) {
        if (maxPoints < 1 || maxPoints > RangeChunks.PROMETHEUS_MAX_POINTS) {
            throw new RecordException("--max-points must be 1.." + RangeChunks.PROMETHEUS_MAX_POINTS + ", got " + maxPoints);
        }
        // Without --config: the shipped defaults.
        Config root = config != null ? RecordCommands.loadConfig(config)
                : com.typesafe.config.ConfigFactory.defaultReference(getClass().getClassLoader()).resolve();
        PrometheusSettings settings = PrometheusSettings.fromConfig(root);
        PrometheusClient.Options options = settings.client();
        if (url != null) {
            options = new PrometheusClient.Options(url, options.timeout(), options.bearerToken(), options.bearerTokenFile());
        }
        String where = "Prometheus at " + Secrets.maskUrl(options.baseUrl());

        Instant now = Clock.systemUTC().instant();
        Duration step = range.step();
        long s = StepGrid.stepSeconds(step);
        Instant end = range.to().orElse(StepGrid.floor(now, s));
        if (end.isAfter(now)) {
            throw new RecordException("range ends at " + end + ", after now (" + now.truncatedTo(ChronoUnit.SECONDS) + ")");
        }
        Optional<Instant> from = range.from(end);
        StepGrid grid = StepGrid.between(from.orElse(end.minus(DEFAULT_LAST)), end, step);

        String query = what.query != null ? what.query : PrometheusRates.inputRateQuery(
                root.getString("flinkfleet.prometheus.queries.input-rate.value"), settings.keys(),
                root.getString("flinkfleet.prometheus.selector"), what.job, step,
                root.getDuration("flinkfleet.prometheus.step"));
        List<String> provenance = new ArrayList<>();
        provenance.add("recorded by: bin/autoscaler trace record prometheus, at " + now.truncatedTo(ChronoUnit.SECONDS));
        provenance.add("source: " + where);
        if (what.job != null) {
            provenance.add("job: " + settings.keys().matcherFor(what.job).replace("\"", ""));
        }
        provenance.add("query: " + query.replaceAll("\\s+", " "));
        provenance.add("rate: the query's value at the end of each step (query_range, " + maxPoints + " points per request)");
        provenance.add("range: " + grid.start() + " .. " + grid.end() + " (" + grid.rows() + " steps)");
        provenance.add("step: " + Durations.format(grid.step()));

        PrometheusRates rates = new PrometheusRates(new PrometheusClient(options, Clock.systemUTC()), where, maxPoints);
        PrometheusRates.Result result;
        try (TraceFileWriter file = new TraceFileWriter(range.output, provenance)) {
            Progress progress = new Progress(err, System::nanoTime, grid.rows());
            result = rates.record(query, grid, file, progress);
            file.commit();
            progress.done(grid.rows());
        }
        if (result.negativesClamped() > 0) {
            err.println("note: " + result.negativesClamped() + " negative value(s) written as 0 (a draining backlog's slope)");
        }
        out.println("wrote " + range.output + ": " + result.rows() + " rows, " + grid.start() + " .. " + grid.end() + ", step "
                + Durations.format(grid.step()) + ", " + result.requests() + " query_range request(s)");
        return 0;
    }
}

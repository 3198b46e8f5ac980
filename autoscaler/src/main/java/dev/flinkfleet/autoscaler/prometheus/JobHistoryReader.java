package dev.flinkfleet.autoscaler.prometheus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntConsumer;

import com.typesafe.config.Config;

import dev.flinkfleet.autoscaler.record.RangeChunks;
import dev.flinkfleet.policies.config.Settings;
import dev.flinkfleet.simulator.calibrate.JobHistory;

/**
 * Reads one job's history from Prometheus for {@code calibrate}: the daemon's own throughput and busy-time
 * queries plus the {@code flinkfleet.calibrate.queries}, each narrowed to the job by its label, over a range
 * split into requests the server accepts, aligned on one time grid.
 */
public final class JobHistoryReader {

    static final String CALIBRATE = "flinkfleet.calibrate.queries";

    /** The rendered queries for one job. */
    record Queries(String throughput, String busy, String parallelism, String restarts, String checkpoints,
                   String samplesPer10m) {
    }

    private final PrometheusClient client;
    private final Queries queries;
    private final SeriesKeys keys;
    private final String job;

    JobHistoryReader(PrometheusClient client, Queries queries, SeriesKeys keys, String job) {
        this.client = Objects.requireNonNull(client, "client");
        this.queries = queries;
        this.keys = keys;
        this.job = job;
    }

    /**
     * A reader for {@code job} ({@code NAMESPACE/NAME} of a FlinkDeployment, or a Flink job name) with the queries
     * of {@code config} (reference.conf included). The job's label matchers join the configured selector, so every
     * query returns this job only.
     */
    public static JobHistoryReader of(Config config, PrometheusClient client, String job) {
        SeriesKeys keys = PrometheusSettings.keys(config);
        String selector = config.getString("flinkfleet.prometheus.selector").strip();
        PromQueries.Vars vars = new PromQueries.Vars(keys, PromQueries.selectorForJob(keys, selector, job),
                Settings.duration(config, "flinkfleet.prometheus.window", false),
                Settings.duration(config, "flinkfleet.prometheus.step", false));
        Queries q = new Queries(
                render(config, "flinkfleet.prometheus.queries.throughput.value", vars),
                render(config, "flinkfleet.prometheus.queries.cpu.value", vars),
                render(config, CALIBRATE + ".source-parallelism", vars),
                render(config, CALIBRATE + ".restarts", vars),
                render(config, CALIBRATE + ".completed-checkpoints", vars),
                render(config, CALIBRATE + ".samples-per-10m", vars));
        return new JobHistoryReader(client, q, keys, job);
    }

    private static String render(Config config, String key, PromQueries.Vars vars) {
        String template = config.getString(key);
        if (template.isBlank()) {
            throw Settings.bad(config, key, "calibrate needs this query; it is empty");
        }
        try {
            return PromQueries.renderOne(key, template, vars);
        } catch (IllegalArgumentException e) {
            throw Settings.bad(config, key, e.getMessage());
        }
    }

    /**
     * The job's history over {@code [from, to]} every {@code step}, with the source parallelism divided by
     * {@code slotsPerWorker}. {@code progress} gets the percentage done after each request.
     *
     * @throws NoHistoryException when Prometheus has no throughput for the job in the range
     */
    public JobHistory read(Instant from, Instant to, Duration step, int slotsPerWorker, IntConsumer progress) {
        List<Instant> grid = new ArrayList<>();
        for (Instant t = from; !t.isAfter(to); t = t.plus(step)) {
            grid.add(t);
        }
        String[] all = {queries.throughput(), queries.busy(), queries.parallelism(), queries.restarts(), queries.checkpoints()};
        int chunks = RangeChunks.split(from, grid.size(), step.toSeconds(), RangeChunks.PROMETHEUS_MAX_POINTS).size();
        List<Map<Long, Double>> values = new ArrayList<>();
        int done = 0;
        for (String q : all) {
            values.add(readChunked(q, grid, step, progress, done, all.length * chunks));
            done += chunks;
        }
        if (values.get(0).isEmpty()) {
            throw new NoHistoryException("Prometheus has no throughput for " + keys.matcherFor(job) + " between " + from
                    + " and " + to + " (query: " + queries.throughput() + ")");
        }
        List<JobHistory.Point> points = new ArrayList<>(grid.size());
        for (Instant t : grid) {
            long k = t.getEpochSecond();
            double parallelism = values.get(2).getOrDefault(k, Double.NaN);
            points.add(new JobHistory.Point(t, parallelism / slotsPerWorker, values.get(0).getOrDefault(k, Double.NaN),
                    values.get(1).getOrDefault(k, Double.NaN), values.get(3).getOrDefault(k, Double.NaN),
                    values.get(4).getOrDefault(k, Double.NaN)));
        }
        return new JobHistory(job, step.toMillis() / 1000.0, scrapeInterval(from, to), points);
    }

    /** The shortest scrape interval seen: 600 s ÷ the most samples one series had in any 10 minutes. */
    private double scrapeInterval(Instant from, Instant to) {
        Duration tenMinutes = Duration.ofMinutes(10);
        Instant start = from.plus(tenMinutes).isAfter(to) ? to : from.plus(tenMinutes);
        double most = 0;
        for (RangeSeries s : client.queryRange(queries.samplesPer10m(), start, to, tenMinutes)) {
            for (Sample v : s.samples()) {
                if (Double.isFinite(v.value())) {
                    most = Math.max(most, v.value());
                }
            }
        }
        return most > 1 ? 600 / most : Double.NaN;
    }

    private Map<Long, Double> readChunked(String query, List<Instant> grid, Duration step, IntConsumer progress,
                                          int done, int total) {
        Map<Long, Double> out = new HashMap<>();
        int n = done;
        for (RangeChunks.Chunk c : RangeChunks.split(grid.get(0), grid.size(), step.toSeconds(), RangeChunks.PROMETHEUS_MAX_POINTS)) {
            List<RangeSeries> series = client.queryRange(query, c.first(), c.last(), step);
            if (series.size() > 1) {
                throw new NoHistoryException("query returned " + series.size() + " series for " + job
                        + ", expected one (it must aggregate by " + keys.byClause() + "; jobs of one name in several namespaces are told "
                        + "apart with --job NAMESPACE/NAME); labels: " + labelsOf(series) + "; query: " + query);
            }
            for (RangeSeries s : series) {
                for (Sample v : s.samples()) {
                    if (Double.isFinite(v.value())) {
                        out.put(Math.round(v.timestampSeconds()), v.value());
                    }
                }
            }
            progress.accept((int) (100L * ++n / Math.max(1, total)));
        }
        return out;
    }

    private static String labelsOf(List<RangeSeries> series) {
        Set<String> out = new LinkedHashSet<>();
        series.forEach(s -> out.add(s.labels().toString()));
        return String.join(" ", out);
    }

    /** Prometheus had nothing usable for the job. */
    public static final class NoHistoryException extends RuntimeException {
        public NoHistoryException(String message) {
            super(message);
        }
    }
}

package dev.flinkfleet.autoscaler.prometheus;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import com.typesafe.config.Config;

import com.typesafe.config.ConfigValueType;

import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.config.Settings;

/**
 * The {@code flinkfleet.prometheus} block, read and checked once. Errors name the file, line and key.
 *
 * @param enabled       read signals from Prometheus at all
 * @param client        connection options
 * @param jobLabel      label whose value names the job in every result (Flink's job_name)
 * @param keys          the labels results are keyed by (namespace and FlinkDeployment, else job name)
 * @param staleAfter    values older than this are stale
 * @param lookbackDelta age assumed when the true sample time is unknown
 * @param queries       rendered fleet-wide queries
 */
public record PrometheusSettings(
        boolean enabled,
        PrometheusClient.Options client,
        String jobLabel,
        SeriesKeys keys,
        Duration staleAfter,
        Duration lookbackDelta,
        PromQueries queries) {

    static final String ROOT = "flinkfleet.prometheus";

    /** Reads {@code flinkfleet.prometheus} from {@code config}, which must already include reference.conf. */
    public static PrometheusSettings fromConfig(Config config) {
        boolean enabled = config.getBoolean(key("enabled"));
        URI url = url(config, key("url"));
        Duration timeout = Settings.duration(config, key("timeout"), false);
        String token = config.getString(key("bearer-token")).strip();
        String tokenFile = config.getString(key("bearer-token-file")).strip();
        var options = new PrometheusClient.Options(url, timeout,
                token.isEmpty() ? Optional.empty() : Optional.of(token),
                tokenFile.isEmpty() ? Optional.empty() : Optional.of(Path.of(tokenFile)));

        String jobLabel = config.getString(key("job-label")).strip();
        if (!PromQueries.LABEL_NAME.matcher(jobLabel).matches()) {
            throw Settings.bad(config, key("job-label"), "must be a Prometheus label name, got '" + jobLabel + "'");
        }
        SeriesKeys keys = keys(config);
        Duration staleAfter = Settings.duration(config, key("stale-after"), false);
        Duration lookback = Settings.duration(config, key("lookback-delta"), false);
        Duration window = Settings.duration(config, key("window"), false);
        Duration step = Settings.duration(config, key("step"), false);
        if (step.compareTo(window) > 0) {
            throw Settings.bad(config, key("step"), "must not exceed window (" + window + "), got " + step);
        }
        PromQueries.Vars vars;
        try {
            vars = new PromQueries.Vars(keys, config.getString(key("selector")), window, step);
        } catch (IllegalArgumentException e) {
            throw Settings.bad(config, key("selector"), e.getMessage());
        }
        return new PrometheusSettings(enabled, options, jobLabel, keys, staleAfter, lookback, queries(config, vars));
    }

    /** The key labels of {@code config}'s prometheus block; errors name the key. */
    public static SeriesKeys keys(Config config) {
        String job = config.getString(key("job-label")).strip();
        String ns = config.getString(key("namespace-label")).strip();
        String dep = config.getString(key("deployment-label")).strip();
        try {
            return new SeriesKeys(ns, dep, job);
        } catch (IllegalArgumentException e) {
            String which = e.getMessage().startsWith("job") ? "job-label" : e.getMessage().startsWith("namespace") ? "namespace-label" : "deployment-label";
            throw Settings.bad(config, key(which), e.getMessage());
        }
    }

    private static PromQueries queries(Config config, PromQueries.Vars vars) {
        String qkey = key("queries");
        Config q = config.getConfig(qkey);
        Map<SignalKind, String[]> templates = new EnumMap<>(SignalKind.class);
        for (String name : q.root().keySet()) {
            String path = qkey + "." + name;
            SignalKind kind;
            try {
                kind = SignalKind.fromKey(name);
            } catch (IllegalArgumentException e) {
                throw Settings.bad(config, path, e.getMessage());
            }
            if (config.getValue(path).valueType() != ConfigValueType.OBJECT) {
                throw Settings.bad(config, path, "must be a block with `value` and `sample-time`");
            }
            String value = config.hasPath(path + ".value") ? config.getString(path + ".value") : "";
            String sampleTime = config.hasPath(path + ".sample-time") ? config.getString(path + ".sample-time") : "";
            templates.put(kind, new String[] {value, sampleTime});
            try {
                PromQueries.render(Map.of(kind, new String[] {value, sampleTime}), vars);
            } catch (IllegalArgumentException e) {
                throw Settings.bad(config, path + (e.getMessage().startsWith(kind.key() + ".sample-time") ? ".sample-time" : ".value"),
                        e.getMessage());
            }
        }
        return PromQueries.render(templates, vars);
    }

    private static URI url(Config config, String key) {
        String text = config.getString(key).strip();
        try {
            URI uri = new URI(text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw Settings.bad(config, key, "must be an http(s) URL with a host, got '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw Settings.bad(config, key, "not a URL: " + e.getMessage());
        }
    }

    private static String key(String leaf) {
        return ROOT + "." + leaf;
    }
}

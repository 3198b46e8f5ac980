package dev.flinkfleet.autoscaler.flinkrest;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import dev.flinkfleet.autoscaler.config.Secrets;
import dev.flinkfleet.policies.config.Settings;
import dev.flinkfleet.policies.config.Suggest;

/**
 * {@code flinkfleet.flink-rest}: the Flink clusters (standalone or session, adaptive scheduler) whose running
 * jobs the daemon governs through their REST API, and how it talks to them.
 *
 * @param clusters by name, in config order
 * @param timeout  per request
 * @param attempts tries per read
 * @param backoff  wait before a retry
 */
public record FlinkRestSettings(Map<String, Cluster> clusters, Duration timeout, int attempts, Duration backoff) {

    /** One cluster: its name (the namespace of its jobs) and its REST address. */
    public record Cluster(String name, URI url) {
    }

    static final String PREFIX = "flinkfleet.flink-rest.";

    public FlinkRestSettings {
        clusters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(clusters));
    }

    /** @throws com.typesafe.config.ConfigException naming the key on a bad value */
    public static FlinkRestSettings fromConfig(Config root) {
        Duration timeout = Settings.duration(root, PREFIX + "timeout", false);
        int attempts = Settings.intAtLeast(root, PREFIX + "attempts", 1);
        Duration backoff = Settings.duration(root, PREFIX + "first-backoff", false);
        String k = PREFIX + "clusters";
        Map<String, Cluster> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : root.getObject(k).entrySet()) {
            String name = e.getKey();
            String path = k + "." + ConfigUtil.joinPath(name);
            if (e.getValue().valueType() != ConfigValueType.OBJECT) {
                throw Settings.bad(root, path, "must be a block { url = \"http://jobmanager:8081\" }, got " + e.getValue().valueType());
            }
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw Settings.bad(root, path, "cluster name '" + name + "' must be letters, digits, '.', '_' or '-' (it is the namespace of its jobs)");
            }
            Config c = root.getConfig(path);
            for (String sub : c.root().keySet()) {
                if (!sub.equals("url")) {
                    String close = Suggest.closest(sub, List.of("url"));
                    throw Settings.bad(root, path + "." + ConfigUtil.joinPath(sub), "unknown key; a cluster has only url"
                            + (close == null ? "" : "; did you mean '" + close + "'?"));
                }
            }
            if (!c.hasPath("url") || c.getValue("url").valueType() != ConfigValueType.STRING || c.getString("url").isBlank()) {
                throw Settings.bad(root, path, "cluster '" + name + "' needs url, e.g. \"http://jobmanager:8081\"");
            }
            // A bad url is reported on the cluster, so the strict check (which drops what it rejected to find the
            // next problem) does not report the same cluster again as having no url.
            String raw = c.getString("url").strip();
            URI url;
            try {
                url = new URI(raw);
            } catch (java.net.URISyntaxException ex) {
                throw Settings.bad(root, path, "url '" + Secrets.maskUrl(raw) + "' is not a URL: " + ex.getReason());
            }
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw Settings.bad(root, path, "url '" + Secrets.maskUrl(raw) + "' must be an http:// or https:// URL with a host, e.g. \"http://jobmanager:8081\"");
            }
            if (url.getRawUserInfo() != null) {
                // Flink's REST API has no login of its own; a password in the URL would only end up in logs.
                throw Settings.bad(root, path, "url '" + Secrets.maskUrl(raw) + "' carries credentials; Flink's REST API takes none "
                        + "(put an authenticating proxy's address without them)");
            }
            out.put(name, new Cluster(name, url));
        }
        return new FlinkRestSettings(out, timeout, attempts, backoff);
    }

    /** A client per cluster, in config order. */
    public List<FlinkRestClient> clients() {
        return clusters.values().stream().map(c -> new FlinkRestClient(c.name(), c.url(), timeout, attempts, backoff)).toList();
    }
}

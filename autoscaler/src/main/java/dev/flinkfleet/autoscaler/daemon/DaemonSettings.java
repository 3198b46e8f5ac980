package dev.flinkfleet.autoscaler.daemon;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import dev.flinkfleet.autoscaler.config.Secrets;
import dev.flinkfleet.policies.config.Settings;
import dev.flinkfleet.policies.config.Suggest;

/**
 * The {@code flinkfleet.daemon} block, read and checked once at start. Every error is a
 * {@link com.typesafe.config.ConfigException} naming the file, line and key.
 *
 * @param interval             time between control cycles
 * @param policiesDir          directory of policy files
 * @param reloadPolicies       re-read policy files when the directory changes
 * @param dryRun               patch nothing
 * @param rescalesPerMinute    fleet-wide rescale budget
 * @param http                 admin server
 * @param leaderElection       Lease-based election
 * @param staleMultiple        liveness fails after this many intervals without a cycle
 * @param kafkaClusters        Kafka clusters by name
 * @param defaultKafkaCluster  cluster for jobs that name none; empty = none
 * @param guard                retry and circuit breaker around each backend
 */
public record DaemonSettings(
        Duration interval,
        Path policiesDir,
        boolean reloadPolicies,
        boolean dryRun,
        int rescalesPerMinute,
        Http http,
        LeaderElection leaderElection,
        double staleMultiple,
        Map<String, KafkaCluster> kafkaClusters,
        String defaultKafkaCluster,
        Guard guard) {

    public static final String ROOT = "flinkfleet.daemon";

    /**
     * The admin HTTP server.
     *
     * @param jobBoardMaxBytes heap the /jobs board may hold (estimated)
     */
    public record Http(String bindAddress, int port, int threads, int jobHistory, long jobBoardMaxBytes) {
    }

    /**
     * Lease-based leader election; empty namespace and identity are filled from the environment at start.
     *
     * @param shards              Leases the fleet is split over (1 = one leader for the whole fleet, today's Lease)
     * @param maxShardsPerReplica most shard Leases one replica holds; 0 = as many as it can get
     */
    public record LeaderElection(boolean enabled, String leaseName, String leaseNamespace, String identity,
                                 Duration leaseDuration, Duration renewDeadline, Duration retryPeriod,
                                 int shards, int maxShardsPerReplica) {

        /** The identity to use: configured, else $POD_NAME, else $HOSTNAME, else {@code hostname}. */
        public String identityOr(Function<String, String> env, String hostname) {
            return firstNonBlank(identity, env.apply("POD_NAME"), env.apply("HOSTNAME"), hostname);
        }

        /** The Lease namespace: configured, else $POD_NAMESPACE, else the client's namespace, else "default". */
        public String namespaceOr(Function<String, String> env, String clientNamespace) {
            return firstNonBlank(leaseNamespace, env.apply("POD_NAMESPACE"), clientNamespace, "default");
        }
    }

    /**
     * One Kafka cluster: its name, the full Admin client config (bootstrap.servers included) and where it is
     * configured ({@code file:line}, for messages about it; null when unknown).
     */
    public record KafkaCluster(String name, Map<String, Object> adminConfig, String origin) {
        public KafkaCluster {
            adminConfig = Map.copyOf(adminConfig);
        }

        public KafkaCluster(String name, Map<String, Object> adminConfig) {
            this(name, adminConfig, null);
        }

        /** Secret properties (sasl.jaas.config, ssl.*.password, ...) masked: the generated toString would print them. */
        @Override
        public String toString() {
            return "KafkaCluster[name=" + name + ", adminConfig=" + Secrets.maskProperties(new TreeMap<>(adminConfig))
                    + ", origin=" + origin + "]";
        }
    }

    /** Retry and circuit breaker settings of {@link GuardedBackend}. */
    public record Guard(int attempts, Duration firstBackoff, Duration openFor) {
    }

    public DaemonSettings {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(policiesDir, "policiesDir");
        kafkaClusters = java.util.Collections.unmodifiableMap(new TreeMap<>(kafkaClusters));
        Objects.requireNonNull(defaultKafkaCluster, "defaultKafkaCluster");
    }

    /** A copy with dry-run on or off. */
    public DaemonSettings withDryRun(boolean dry) {
        return new DaemonSettings(interval, policiesDir, reloadPolicies, dry, rescalesPerMinute, http, leaderElection,
                staleMultiple, kafkaClusters, defaultKafkaCluster, guard);
    }

    /** Reads {@code flinkfleet.daemon} from {@code root}, which must already include reference.conf. */
    public static DaemonSettings fromConfig(Config root) {
        Duration interval = Settings.duration(root, key("interval"), false);
        String dir = root.getString(key("policies-dir")).strip();
        if (dir.isEmpty()) {
            throw Settings.bad(root, key("policies-dir"), "must name the directory of policy files");
        }
        boolean reload = root.getBoolean(key("reload-policies"));
        boolean dry = root.getBoolean(key("dry-run")) || root.getBoolean("flinkfleet.kubernetes.actuator.dry-run");
        int budget = Settings.intAtLeast(root, key("max-rescales-per-minute"), 1);

        String bind = root.getString(key("http.bind-address")).strip();
        if (bind.isEmpty()) {
            throw Settings.bad(root, key("http.bind-address"), "must be a host name or IP address, e.g. 0.0.0.0");
        }
        int port = Settings.intAtLeast(root, key("http.port"), 0);
        if (port > 65535) {
            throw Settings.bad(root, key("http.port"), "must be a port 0..65535, got " + port);
        }
        Http http = new Http(bind, port, Settings.intAtLeast(root, key("http.threads"), 1),
                Settings.intAtLeast(root, key("http.job-history"), 1), jobBoardMaxBytes(root));

        LeaderElection le = leaderElection(root);
        double stale = Settings.doubleAtLeast(root, key("health.stale-multiple"), 1, true);

        Map<String, KafkaCluster> clusters = kafkaClusters(root);
        String defaultCluster = root.getString(key("default-kafka-cluster")).strip();
        if (!defaultCluster.isEmpty() && !clusters.containsKey(defaultCluster)) {
            throw Settings.bad(root, key("default-kafka-cluster"), "'" + defaultCluster + "' is not defined under "
                    + key("kafka-clusters") + (clusters.isEmpty() ? " (none are)" : "; defined: " + clusters.keySet()));
        }

        Guard guard = new Guard(Settings.intAtLeast(root, key("backend-guard.attempts"), 1),
                Settings.duration(root, key("backend-guard.first-backoff"), false),
                Settings.duration(root, key("backend-guard.open-for"), false));
        return new DaemonSettings(interval, Path.of(dir), reload, dry, budget, http, le, stale, clusters, defaultCluster, guard);
    }

    private static LeaderElection leaderElection(Config root) {
        String name = root.getString(key("leader-election.lease-name")).strip();
        if (!name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?") || name.length() > 253) {
            throw Settings.bad(root, key("leader-election.lease-name"), "'" + name + "' is not a valid Lease name (lower-case DNS name)");
        }
        String ns = root.getString(key("leader-election.lease-namespace")).strip();
        if (!ns.isEmpty() && (!ns.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || ns.length() > 63)) {
            throw Settings.bad(root, key("leader-election.lease-namespace"), "'" + ns + "' is not a valid namespace name");
        }
        Duration lease = Settings.duration(root, key("leader-election.lease-duration"), false);
        Duration renew = Settings.duration(root, key("leader-election.renew-deadline"), false);
        Duration retry = Settings.duration(root, key("leader-election.retry-period"), false);
        if (renew.compareTo(lease) >= 0) {
            throw Settings.bad(root, key("leader-election.renew-deadline"), "must be shorter than lease-duration (" + lease + "), got " + renew);
        }
        if (retry.compareTo(renew) >= 0) {
            throw Settings.bad(root, key("leader-election.retry-period"), "must be shorter than renew-deadline (" + renew + "), got " + retry);
        }
        int shards = Settings.intAtLeast(root, key("leader-election.shards"), 1);
        if (shards > 1 && name.length() > 253 - 1 - String.valueOf(shards - 1).length()) {
            throw Settings.bad(root, key("leader-election.lease-name"), "too long for " + shards + " shard Leases named '" + name + "-<i>'");
        }
        int budget = root.getInt(key("max-rescales-per-minute"));
        if (shards > budget) {
            // Each shard holds a share of the budget; a shard with none could never rescale its jobs.
            throw Settings.bad(root, key("leader-election.shards"), shards + " shards need " + key("max-rescales-per-minute")
                    + " >= " + shards + " (each shard gets a share of at least one), got " + budget);
        }
        int maxHeld = Settings.intAtLeast(root, key("leader-election.max-shards-per-replica"), 0);
        return new LeaderElection(root.getBoolean(key("leader-election.enabled")), name, ns,
                root.getString(key("leader-election.identity")).strip(), lease, renew, retry, shards, maxHeld);
    }

    private static Map<String, KafkaCluster> kafkaClusters(Config root) {
        String k = key("kafka-clusters");
        Map<String, KafkaCluster> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : root.getObject(k).entrySet()) {
            String name = e.getKey();
            String path = k + "." + quote(name);
            if (e.getValue().valueType() != ConfigValueType.OBJECT) {
                throw Settings.bad(root, path, "must be a block { bootstrap-servers = \"...\", admin { ... } }, got " + e.getValue().valueType());
            }
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw Settings.bad(root, path, "cluster name '" + name + "' must be letters, digits, '.', '_' or '-'");
            }
            Config c = root.getConfig(path);
            for (String sub : c.root().keySet()) {
                if (!sub.equals("bootstrap-servers") && !sub.equals("admin")) {
                    String close = Suggest.closest(sub, java.util.List.of("bootstrap-servers", "admin"));
                    throw Settings.bad(root, path + "." + quote(sub), "unknown key; a cluster has bootstrap-servers and admin { ... }"
                            + (close == null ? "" : "; did you mean '" + close + "'?"));
                }
            }
            if (!c.hasPath("bootstrap-servers") || c.getString("bootstrap-servers").isBlank()) {
                throw Settings.bad(root, c.hasPath("bootstrap-servers") ? path + ".bootstrap-servers" : path,
                        "cluster '" + name + "' needs bootstrap-servers, e.g. \"kafka-0:9092,kafka-1:9092\"");
            }
            Map<String, Object> admin = new LinkedHashMap<>();
            if (c.hasPath("admin")) {
                if (c.getValue("admin").valueType() != ConfigValueType.OBJECT) {
                    throw Settings.bad(root, path + ".admin", "must be a block of Admin client properties");
                }
                // Flattened, so `ssl.truststore.location = x` written unquoted (a nested path) works too.
                for (Map.Entry<String, ConfigValue> p : c.getConfig("admin").entrySet()) {
                    String prop = String.join(".", com.typesafe.config.ConfigUtil.splitPath(p.getKey()));
                    if (prop.equals("bootstrap.servers")) {
                        throw Settings.bad(root, path + ".admin", "set bootstrap-servers of the cluster instead of admin.bootstrap.servers");
                    }
                    ConfigValueType t = p.getValue().valueType();
                    if (t == ConfigValueType.LIST || t == ConfigValueType.NULL) {
                        throw Settings.bad(root, path + ".admin", "property '" + prop + "' must be a single value, got " + t);
                    }
                    admin.put(prop, String.valueOf(p.getValue().unwrapped()));
                }
            }
            admin.put("bootstrap.servers", c.getString("bootstrap-servers").strip());
            out.put(name, new KafkaCluster(name, admin, where(e.getValue().origin())));
        }
        return out;
    }

    /** {@code file:line} of a config value, or the origin's own description when it has no file. */
    static String where(com.typesafe.config.ConfigOrigin o) {
        if (o == null) {
            return null;
        }
        if (o.filename() != null) {
            return o.filename() + (o.lineNumber() > 0 ? ":" + o.lineNumber() : "");
        }
        return o.description();
    }

    static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    private static String key(String k) {
        return ROOT + "." + k;
    }

    private static String quote(String key) {
        return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
    }

    private static long jobBoardMaxBytes(Config root) {
        long bytes = root.getBytes(key("http.job-board-max-bytes"));
        if (bytes < 1 << 20) {
            throw Settings.bad(root, key("http.job-board-max-bytes"), "must be at least 1MiB, got " + bytes + " bytes");
        }
        return bytes;
    }
}

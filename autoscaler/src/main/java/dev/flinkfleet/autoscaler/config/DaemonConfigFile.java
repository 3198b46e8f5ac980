package dev.flinkfleet.autoscaler.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;

import dev.flinkfleet.autoscaler.daemon.DaemonSettings;
import dev.flinkfleet.autoscaler.kafka.KafkaSignalSettings;
import dev.flinkfleet.autoscaler.kubernetes.KubernetesSettings;
import dev.flinkfleet.autoscaler.prometheus.PrometheusSettings;
import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.config.PolicyFileException;
import dev.flinkfleet.policies.config.PolicyFiles;
import dev.flinkfleet.policies.config.Reference;
import dev.flinkfleet.policies.config.Suggest;

/**
 * Reads a daemon config file strictly and reports every problem at once, each as {@code file:line: key:
 * message}: syntax, missing includes, keys that no reference.conf declares (with a "did you mean"), keys that
 * are declared but not read by the daemon, and every bad value or type. Connects to nothing.
 */
public final class DaemonConfigFile {

    /** The blocks the daemon reads (declared in the autoscaler's reference.conf). */
    static final List<String> DAEMON_BLOCKS = List.of("daemon", "kubernetes", "prometheus", "kafka", "flink-rest");

    /** Where the settings of the other declared blocks go instead. */
    private static final Map<String, String> READ_ELSEWHERE = Map.of(
            "governor", "governor rules are set per application in a policy file: application { governor { ... } }",
            "policies", "policy parameters are set per application in a policy file: application { params { ... } }",
            "application", "the application block belongs in a policy file under flinkfleet.daemon.policies-dir",
            "simulator", "simulator settings are read by `simulate` and `sweep`, not by the daemon");

    /**
     * A validated config.
     *
     * @param config   the file over every reference.conf, resolved; null when there are problems
     * @param problems every problem, by file and line; empty when valid
     */
    public record Result(Config config, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private DaemonConfigFile() {
    }

    /**
     * Reads and checks {@code file}. With {@code checkPolicies}, also loads the policy files of the configured
     * policies-dir when that directory exists.
     *
     * @param dryRun sets {@code flinkfleet.daemon.dry-run} (the {@code --dry-run} flag)
     */
    public static Result load(Path file, boolean dryRun, boolean checkPolicies) {
        ConfigProblems problems = new ConfigProblems(file);
        if (!Files.isRegularFile(file)) {
            problems.add(file, 0, null, "no such config file");
            return new Result(null, problems.sorted());
        }
        ClassLoader loader = DaemonConfigFile.class.getClassLoader();
        for (Includes.Missing m : Includes.missing(file, loader)) {
            problems.add(m.file(), m.line(), "include", "'" + m.target() + "' does not exist (HOCON would skip it silently)");
        }
        Config user;
        Config merged;
        try {
            user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
            if (dryRun) {
                user = user.withValue("flinkfleet.daemon.dry-run", ConfigValueFactory.fromAnyRef(true, "--dry-run"));
            }
            merged = user.withFallback(ConfigFactory.defaultReference(loader)).resolve();
            user = user.resolveWith(merged);
        } catch (ConfigException e) {
            if (!(e instanceof ConfigException.IO && !problems.isEmpty())) { // a missing required include, reported above
                problems.add(e, k -> k);
            }
            return new Result(null, problems.sorted());
        }

        Config reference = Reference.load(loader);
        checkKeys(user.root(), reference.root(), "", reference, problems);

        // Each reader stops at its first bad value; readAll runs it again past each one to find them all.
        readAll(merged, reference, DaemonSettings::fromConfig, problems);
        readAll(merged, reference, KubernetesSettings::fromConfig, problems);
        readAll(merged, reference, dev.flinkfleet.autoscaler.kubernetes.OperatorConfigSettings::fromConfig, problems);
        readAll(merged, reference, PrometheusSettings::fromConfig, problems);
        readAll(merged, reference, KafkaSignalSettings::fromConfig, problems);
        readAll(merged, reference, dev.flinkfleet.autoscaler.flinkrest.FlinkRestSettings::fromConfig, problems);

        if (checkPolicies && merged.hasPath("flinkfleet.daemon.policies-dir")) {
            Path dir = Path.of(merged.getString("flinkfleet.daemon.policies-dir").strip());
            if (Files.isDirectory(dir)) {
                try {
                    PolicyFiles.loadDir(dir, PolicyRegistry.builtIn());
                } catch (PolicyFileException e) {
                    List<String> all = new ArrayList<>(problems.sorted());
                    all.addAll(e.errors());
                    return new Result(null, all);
                }
            }
        }
        // A rejected value may be a credential (a URL with its password, a token with a stray quote).
        Set<String> secrets = Secrets.secretValues(merged);
        List<String> found = problems.sorted().stream().map(p -> Secrets.maskSecrets(p, secrets)).toList();
        return found.isEmpty() ? new Result(merged, List.of()) : new Result(null, found);
    }

    /**
     * Reports keys of {@code user} that {@code known} does not declare, recursing into declared blocks.
     *
     * <p>The rule for maps: a block that reference.conf declares EMPTY ({@code kafka-clusters {}}, {@code labels
     * {}}) holds entries whose names the user chooses (cluster names, Kafka client properties); its keys are not
     * checked here but by the block's reader. Every non-empty block lists all its keys.
     */
    private static void checkKeys(ConfigObject user, ConfigObject known, String prefix, Config reference, ConfigProblems problems) {
        for (Map.Entry<String, ConfigValue> e : new TreeMap<>(user).entrySet()) {
            String key = e.getKey();
            String path = prefix.isEmpty() ? quote(key) : prefix + "." + quote(key);
            ConfigValue v = e.getValue();
            ConfigValue k = known.get(key);
            if (prefix.equals("flinkfleet") && k != null && READ_ELSEWHERE.containsKey(key)) {
                problems.add(v.origin(), path, "not read from the daemon config: " + READ_ELSEWHERE.get(key));
            } else if (prefix.isEmpty() && !key.equals("flinkfleet")) {
                problems.add(v.origin(), path, "unknown top-level key; every setting is under flinkfleet { ... }"
                        + closeHint(key, List.of("flinkfleet")));
            } else if (k == null) {
                problems.add(v.origin(), path, "unknown key" + hint(key, known, reference));
            } else if (k.valueType() == ConfigValueType.OBJECT) {
                if (v.valueType() != ConfigValueType.OBJECT) {
                    problems.add(v.origin(), path, "must be a block { ... }, got " + v.valueType());
                } else if (!((ConfigObject) k).isEmpty()) {
                    checkKeys((ConfigObject) v, (ConfigObject) k, path, reference, problems);
                }
            } else if (v.valueType() == ConfigValueType.OBJECT) {
                problems.add(v.origin(), path, "must be a single value, got a block");
            }
        }
    }

    /**
     * A close sibling, else a declared key of the same name in another block (url under daemon: prometheus.url;
     * max-workers under daemon: a governor rule, which belongs in a policy file).
     */
    private static String hint(String key, ConfigObject known, Config reference) {
        String sibling = Suggest.closest(key, known.keySet());
        if (sibling != null) {
            return "; did you mean '" + sibling + "'?";
        }
        List<String> elsewhere = new ArrayList<>();
        List<String> blocks = new ArrayList<>(DAEMON_BLOCKS);
        reference.getObject("flinkfleet").keySet().stream().filter(b -> !blocks.contains(b)).sorted().forEach(blocks::add);
        for (String b : blocks) {
            for (Map.Entry<String, ConfigValue> e : reference.getConfig("flinkfleet." + b).entrySet()) {
                String full = "flinkfleet." + b + "." + e.getKey();
                if (full.endsWith("." + key) || full.contains("." + key + ".")) {
                    String at = full.substring(0, full.indexOf("." + key) + key.length() + 1);
                    if (!elsewhere.contains(at)) {
                        elsewhere.add(at);
                    }
                }
            }
        }
        if (!elsewhere.isEmpty()) {
            String block = elsewhere.get(0).split("\\.")[1];
            return READ_ELSEWHERE.containsKey(block)
                    ? "; '" + elsewhere.get(0) + "' is declared, but " + READ_ELSEWHERE.get(block)
                    : "; did you mean '" + elsewhere.get(0) + "'?";
        }
        return "; known: " + known.keySet().stream().sorted().toList();
    }

    private static String closeHint(String word, List<String> known) {
        String c = Suggest.closest(word, known);
        return c == null ? "" : "; did you mean '" + c + "'?";
    }

    /**
     * Runs {@code reader} until it passes, each time replacing the value it rejected with the reference default
     * (or removing it when reference.conf has none, e.g. inside a Kafka cluster), so that one bad value does not
     * hide the next. Stops when the same key fails twice (a rule between two keys that the default also breaks).
     */
    private static <T> void readAll(Config merged, Config reference, Function<Config, T> reader, ConfigProblems problems) {
        Config c = merged;
        Set<String> seen = new HashSet<>();
        while (true) {
            try {
                reader.apply(c);
                return;
            } catch (ConfigException e) {
                Config current = c;
                String key = problems.add(e, k -> qualify(current, k, e.origin()));
                if (key == null || !seen.add(key)) {
                    return;
                }
                try {
                    c = reference.hasPath(key) ? c.withValue(key, reference.getValue(key)) : c.withoutPath(key);
                } catch (ConfigException bad) {
                    return; // not a path we can replace
                }
            } catch (RuntimeException e) {
                problems.add(merged.origin(), null, String.valueOf(e.getMessage()));
                return;
            }
        }
    }

    /** {@code key} as a full path of {@code c}: itself, else the path ending in it whose value has {@code origin}. */
    private static String qualify(Config c, String key, com.typesafe.config.ConfigOrigin origin) {
        try {
            if (c.hasPath(key)) {
                return key;
            }
        } catch (ConfigException bad) {
            return key;
        }
        for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
            if (e.getKey().endsWith("." + key) && origin != null && e.getValue().origin().lineNumber() == origin.lineNumber()
                    && java.util.Objects.equals(e.getValue().origin().filename(), origin.filename())) {
                return e.getKey();
            }
        }
        return key;
    }

    /**
     * The effective settings of the blocks the daemon reads as {@code key = value} lines, sorted, secrets masked, each value
     * set in a file followed by {@code # file:line}.
     */
    public static List<String> effectiveSettings(Config config) {
        Set<String> secrets = Secrets.secretValues(config);
        List<String> out = new ArrayList<>();
        Map<String, ConfigValue> daemonKeys = new TreeMap<>();
        for (String b : DAEMON_BLOCKS) {
            config.getConfig("flinkfleet." + b).entrySet().forEach(e -> daemonKeys.put(b + "." + e.getKey(), e.getValue()));
        }
        for (Map.Entry<String, ConfigValue> e : daemonKeys.entrySet()) {
            List<String> path = com.typesafe.config.ConfigUtil.splitPath(e.getKey());
            int admin = path.indexOf("admin");
            String name = admin >= 0 ? String.join(".", path.subList(admin + 1, path.size())) : path.get(path.size() - 1);
            ConfigValue v = e.getValue();
            String value = Secrets.isSecretKey(name) && !String.valueOf(v.unwrapped()).isEmpty()
                    ? "\"" + Secrets.MASK + "\"" : Secrets.maskSecrets(v.render(ConfigRenderOptions.concise()), secrets);
            String origin = v.origin().filename() != null && v.origin().resource() == null
                    ? "  # " + v.origin().filename() + ":" + v.origin().lineNumber() : "";
            out.add("flinkfleet." + e.getKey() + " = " + value + origin);
        }
        return out;
    }

    private static String quote(String key) {
        return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
    }
}

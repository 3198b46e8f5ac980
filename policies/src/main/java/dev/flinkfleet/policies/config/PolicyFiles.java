package dev.flinkfleet.policies.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import dev.flinkfleet.policies.ActuationMode;
import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.ScalingPolicyFactory;
import dev.flinkfleet.policies.governor.DefaultGovernor;
import dev.flinkfleet.policies.governor.GovernorConfig;

/**
 * Loads per-application policy files ({@code config/policies/*.conf}): one {@code application { ... }} block
 * each, merged over {@code flinkfleet.application} in reference.conf. Validation reports every problem it can
 * find, not just the first, each as {@code file:line: key: message}.
 */
public final class PolicyFiles {

    private static final String APP = "application";
    /** Per-policy governor defaults, keyed by policy name. */
    public static final String POLICY_GOVERNOR = "flinkfleet.policy-governor-defaults";
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private PolicyFiles() {
    }

    /** Loads and validates one file; throws {@link PolicyFileException} listing every problem. */
    public static ApplicationPolicy loadFile(Path file, PolicyRegistry registry) {
        return loadFile(file, registry, Map.of());
    }

    /**
     * Loads every {@code *.conf} in {@code dir} (sorted by name). Collects the problems of all files, plus
     * application names defined twice, and throws one {@link PolicyFileException} listing them all.
     */
    public static List<ApplicationPolicy> loadDir(Path dir, PolicyRegistry registry) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".conf") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new PolicyFileException(List.of(dir + ": cannot list policy directory: " + e));
        }
        if (files.isEmpty()) {
            throw new PolicyFileException(List.of(dir + ": no policy files (*.conf)"));
        }
        List<String> errors = new ArrayList<>();
        List<ApplicationPolicy> apps = new ArrayList<>();
        Map<String, String> definedAt = new HashMap<>();
        for (Path f : files) {
            Problems problems = new Problems(f);
            Loaded l = load(f, registry, Reference.get(), problems);
            if (l.name != null) {
                String where = f + ":" + l.nameLine;
                String prev = definedAt.putIfAbsent(l.name, where);
                if (prev != null) {
                    problems.add(l.nameLine, APP + ".name", "application '" + l.name + "' is already defined at " + prev);
                }
            }
            problems.drainTo(errors);
            if (l.app != null && problems.isEmpty()) {
                apps.add(l.app);
            }
        }
        if (!errors.isEmpty()) {
            throw new PolicyFileException(errors);
        }
        return List.copyOf(apps);
    }

    /**
     * Loads one file with {@code overrides} merged over its application block, as a parameter sweep does: keys
     * relative to the block ({@code params.time-to-drain}, {@code governor.tolerance}), values in HOCON. Every
     * problem names the user's file and line, or the override ({@code --grid governor.tolerance=2}); no
     * temporary file appears in a message.
     */
    public static ApplicationPolicy loadFile(Path file, PolicyRegistry registry, Map<String, String> overrides) {
        Problems problems = new Problems(file);
        return checked(problems, load(file, null, overrides, registry, Reference.get(), problems));
    }

    /**
     * {@link #forDefaults} with {@code overrides} merged over its application block, validated like a file;
     * problems name the built-in policy and the override.
     */
    public static ApplicationPolicy forDefaults(String policyName, PolicyRegistry registry, Map<String, String> overrides) {
        Path label = Path.of("built-in policy " + policyName);
        String text = APP + " { name = \"" + policyName + "\", policy = \"" + policyName + "\" }\n";
        Problems problems = new Problems(label);
        return checked(problems, load(label, text, overrides, registry, Reference.get(), problems));
    }

    private static ApplicationPolicy checked(Problems problems, Loaded l) {
        List<String> errors = new ArrayList<>();
        problems.drainTo(errors);
        if (!errors.isEmpty()) {
            throw new PolicyFileException(errors);
        }
        return l.app;
    }

    /** An in-memory application that governs every job with {@code policyName} at the reference defaults. */
    public static ApplicationPolicy forDefaults(String policyName, PolicyRegistry registry) {
        Config ref = Reference.get();
        ScalingPolicyFactory factory = registry.get(policyName);
        String paramsPath = "flinkfleet.policies." + quote(policyName);
        Config params = ref.hasPath(paramsPath) ? ref.getConfig(paramsPath) : ConfigFactory.empty();
        GovernorConfig gc = GovernorSettings.read(policyGovernor(ref, policyName).withFallback(ref.getObject("flinkfleet.governor")).toConfig());
        Duration sla = Settings.duration(ref.getConfig("flinkfleet.application"), "sla-latency", false);
        return new ApplicationPolicy(policyName, null, Selector.ANY, policyName, factory.create(params), gc, new DefaultGovernor(gc), sla);
    }

    /**
     * The governor rules {@code policyName} is designed for ({@code flinkfleet.policy-governor-defaults.<policy>}):
     * they go under the application's own governor block and over {@code flinkfleet.governor}. Empty for a policy
     * that declares none.
     */
    static ConfigObject policyGovernor(Config ref, String policyName) {
        String path = POLICY_GOVERNOR + "." + quote(policyName);
        return ref.hasPath(path) ? ref.getObject(path) : ConfigFactory.empty().root();
    }

    /** Result of loading one file: the app (null on problems) and its name with the line that set it. */
    private record Loaded(ApplicationPolicy app, String name, int nameLine) {
        static final Loaded NONE = new Loaded(null, null, 0);
    }

    private static Loaded load(Path file, PolicyRegistry registry, Config ref, Problems problems) {
        return load(file, null, Map.of(), registry, ref, problems);
    }

    /**
     * Loads {@code file} (or {@code text} standing for it, when not null) with {@code overrides} merged over its
     * application block. Problems name the file and line; a bad override names itself ({@code --grid key=value}).
     */
    private static Loaded load(Path file, String text, Map<String, String> overrides, PolicyRegistry registry, Config ref, Problems problems) {
        Config root;
        try {
            ConfigParseOptions options = ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF)
                    .setIncluder(new RequiredIncludes());
            root = text == null ? ConfigFactory.parseFile(file.toFile(), options)
                    : ConfigFactory.parseString(text, options.setOriginDescription(file.toString()));
            for (Map.Entry<String, String> o : overrides.entrySet()) {
                root = ConfigFactory.parseString(APP + "." + o.getKey() + " = " + o.getValue(), ConfigParseOptions.defaults()
                        .setSyntax(ConfigSyntax.CONF).setOriginDescription(Problems.OVERRIDE + " " + o.getKey() + "=" + o.getValue()))
                        .withFallback(root);
            }
            root = root.resolve();
        } catch (RequiredIncludes.Missing e) {
            problems.add(e.lineIn(readQuietly(file)), "include", "\"" + e.what() + "\" not found or unreadable (includes in policy files are required)");
            return Loaded.NONE;
        } catch (ConfigException.IO e) {
            problems.add(1, "file", "cannot read: " + e.getMessage());
            return Loaded.NONE;
        } catch (ConfigException.Parse e) {
            problems.add(e, "syntax");
            return Loaded.NONE;
        } catch (ConfigException e) {
            problems.add(e, "syntax"); // e.g. an unresolved ${substitution}
            return Loaded.NONE;
        }

        for (Map.Entry<String, ConfigValue> e : root.root().entrySet()) {
            if (!e.getKey().equals(APP)) {
                problems.add(e.getValue().origin(), e.getKey(),
                        "unknown top-level key; a policy file holds one 'application { ... }' block" + closestHint(e.getKey(), List.of(APP)));
            }
        }
        ConfigValue appValue = root.root().get(APP);
        if (appValue == null) {
            problems.add(1, APP, "missing: a policy file holds one 'application { ... }' block");
            return Loaded.NONE;
        }
        if (appValue.valueType() != ConfigValueType.OBJECT) {
            problems.add(appValue.origin(), APP, "must be a block { ... }, got " + appValue.valueType());
            return Loaded.NONE;
        }
        problems.fallbackLine = problems.lineIn(appValue.origin());
        ConfigObject refApp = ref.getObject("flinkfleet.application");
        // Bad keys are reported and dropped; the rest is still validated, so every problem shows in one run.
        ConfigObject userApp = checkKnownKeys((ConfigObject) appValue, refApp, APP, problems);
        Config app = userApp.toConfig().withFallback(refApp);

        // name
        String stem = file.getFileName().toString().replaceFirst("\\.conf$", "");
        String name = null;
        int nameLine = problems.fallbackLine;
        try {
            name = app.getString("name");
            if (name.isEmpty()) {
                name = stem;
            } else {
                nameLine = problems.lineIn(app.getValue("name").origin());
                if (!NAME.matcher(name).matches()) {
                    problems.add(nameLine, APP + ".name", "'" + name + "' must be letters, digits, '.', '_' or '-', starting with a letter or digit");
                }
            }
        } catch (ConfigException e) {
            problems.add(e, APP);
        }

        Selector selector = selector(app, problems);

        // policy + params
        ScalingPolicy policy = null;
        String policyName = null;
        try {
            policyName = app.getString("policy");
        } catch (ConfigException e) {
            problems.add(e, APP);
        }
        ConfigObject params = object(app, "params", problems);
        if (policyName != null && !registry.contains(policyName)) {
            problems.add(app.getValue("policy").origin(), APP + ".policy",
                    "unknown policy '" + policyName + "'" + Suggest.hint(policyName, registry.all().keySet())
                            + (Suggest.closest(policyName, registry.all().keySet()) != null ? "" : " (see 'policy list')"));
        } else if (policyName != null && params != null) {
            String refPath = "flinkfleet.policies." + quote(policyName);
            Config merged = params.toConfig();
            if (ref.hasPath(refPath)) {
                // A plugin policy without a reference.conf block gets no key check here; its factory validates.
                // Unknown keys are dropped after being reported, so the factory still checks every known value.
                merged = checkKnownKeys(params, ref.getObject(refPath), APP + ".params", problems).toConfig()
                        .withFallback(ref.getObject(refPath));
            }
            int appLine = problems.fallbackLine;
            // A rule broken by a default value points at the user's params block, not at reference.conf.
            problems.fallbackLine = blockLine(params, appLine, problems);
            try {
                policy = registry.get(policyName).create(merged);
            } catch (ConfigException e) {
                problems.add(e, APP + ".params");
            } catch (RuntimeException e) {
                problems.add(params.origin(), APP + ".params", String.valueOf(e.getMessage()));
            }
            problems.fallbackLine = appLine;
        }

        // governor
        GovernorConfig governorConfig = null;
        ConfigObject governor = object(app, "governor", problems);
        if (governor != null) {
            ConfigObject refGov = ref.getObject("flinkfleet.governor");
            ConfigObject known = checkKnownKeys(governor, refGov, APP + ".governor", problems);
            int appLine = problems.fallbackLine;
            problems.fallbackLine = blockLine(governor, appLine, problems);
            try {
                // The application's own rules, over the ones its policy is designed for, over the reference.
                ConfigObject policyGov = policyName == null ? ConfigFactory.empty().root() : policyGovernor(ref, policyName);
                governorConfig = GovernorSettings.read(known.toConfig().withFallback(policyGov).withFallback(refGov));
            } catch (ConfigException e) {
                problems.add(e, APP + ".governor");
            } catch (RuntimeException e) {
                problems.add(governor.origin(), APP + ".governor", String.valueOf(e.getMessage()));
            }
            problems.fallbackLine = appLine;
        }

        Duration sla = null;
        try {
            sla = Settings.duration(app, "sla-latency", false);
        } catch (ConfigException e) {
            problems.add(e, APP);
        }

        SignalWiring wiring = wiring(app, problems);

        if (!problems.isEmpty() || name == null || selector == null || policy == null || governorConfig == null || sla == null
                || wiring == null) {
            return new Loaded(null, name, nameLine);
        }
        return new Loaded(new ApplicationPolicy(name, file, selector, policyName, policy, governorConfig,
                new DefaultGovernor(governorConfig), sla, wiring), name, nameLine);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** The kafka, prometheus and actuation blocks; null after reporting a problem. */
    private static SignalWiring wiring(Config app, Problems problems) {
        String cluster = template(app, "kafka.cluster", true, problems);
        String group = template(app, "kafka.consumer-group", false, problems);
        String promJob = template(app, "prometheus.job", false, problems);
        String mode = template(app, "actuation.mode", true, problems);
        List<String> topics = null;
        try {
            topics = app.getStringList("kafka.topics").stream().map(String::strip).toList();
            for (String t : topics) {
                String unknown = SignalWiring.unknownPlaceholder(t);
                if (t.isEmpty() || unknown != null || t.contains(",")) {
                    problems.add(app.getValue("kafka.topics").origin(), APP + ".kafka.topics", t.isEmpty() ? "a topic must not be empty"
                            : unknown != null ? "'" + t + "': unknown placeholder " + unknown + "; known: {namespace}, {name}"
                            : "'" + t + "': one topic per list entry (no commas)");
                    topics = null;
                    break;
                }
            }
            if (topics != null && topics.stream().distinct().count() != topics.size()) {
                problems.add(app.getValue("kafka.topics").origin(), APP + ".kafka.topics", "lists a topic twice: " + topics);
                topics = null;
            }
        } catch (ConfigException e) {
            problems.add(e, APP);
        }
        ActuationMode actuation = null;
        if (mode != null && !mode.isEmpty()) {
            try {
                actuation = ActuationMode.parse(mode);
            } catch (IllegalArgumentException e) {
                problems.add(app.getValue("actuation.mode").origin(), APP + ".actuation.mode", "'" + mode + "' is not a mode; use one of "
                        + String.join(", ", ActuationMode.configNames()) + ", or \"\" for the daemon's default"
                        + closestHint(mode, ActuationMode.configNames()));
                mode = null;
            }
        }
        if (cluster == null || group == null || promJob == null || mode == null || topics == null) {
            return null;
        }
        return new SignalWiring(cluster, group, topics, promJob, actuation);
    }

    /** A string whose placeholders are known; null after reporting a problem. */
    private static String template(Config app, String key, boolean emptyAllowed, Problems problems) {
        try {
            String v = app.getString(key).strip();
            String unknown = SignalWiring.unknownPlaceholder(v);
            if (unknown != null) {
                problems.add(app.getValue(key).origin(), APP + "." + key, "'" + v + "': unknown placeholder " + unknown + "; known: {namespace}, {name}");
                return null;
            }
            if (!emptyAllowed && v.isEmpty()) {
                problems.add(app.getValue(key).origin(), APP + "." + key, "must not be empty");
                return null;
            }
            return v;
        } catch (ConfigException e) {
            problems.add(e, APP);
            return null;
        }
    }

    /** The first line of the keys the user wrote in {@code block}, else {@code otherwise}. */
    private static int blockLine(ConfigObject block, int otherwise, Problems problems) {
        return block.values().stream().filter(v -> problems.inFile(v.origin()))
                .mapToInt(v -> v.origin().lineNumber()).min().orElse(otherwise);
    }

    private static Selector selector(Config app, Problems problems) {
        ConfigObject select = object(app, "select", problems);
        if (select == null) {
            return null;
        }
        Config s = select.toConfig();
        List<String> namespaces = null;
        List<String> names = null;
        Map<String, String> labels = new HashMap<>();
        boolean ok = true;
        try {
            namespaces = s.getStringList("namespaces");
        } catch (ConfigException e) {
            problems.add(e, APP + ".select");
        }
        try {
            names = s.getStringList("names");
            for (String g : names) {
                if (g.isBlank()) {
                    problems.add(s.getValue("names").origin(), APP + ".select.names", "a name glob must not be empty");
                    ok = false;
                }
            }
        } catch (ConfigException e) {
            problems.add(e, APP + ".select");
        }
        ConfigObject labelObj = object(s, "labels", problems, APP + ".select");
        if (labelObj != null) {
            for (Map.Entry<String, ConfigValue> e : labelObj.entrySet()) {
                ConfigValue v = e.getValue();
                if (v.valueType() == ConfigValueType.STRING) {
                    labels.put(e.getKey(), (String) v.unwrapped());
                } else {
                    ok = false;
                    problems.add(v.origin(), APP + ".select.labels." + quote(e.getKey()),
                            "label values must be strings, got " + v.valueType()
                                    + (v.valueType() == ConfigValueType.OBJECT ? " (quote label keys that contain dots)" : " (quote the value)"));
                }
            }
        }
        if (!ok || namespaces == null || names == null || labelObj == null) {
            return null;
        }
        return new Selector(namespaces, names, labels);
    }

    private static ConfigObject object(Config c, String key, Problems problems) {
        return object(c, key, problems, APP);
    }

    private static ConfigObject object(Config c, String key, Problems problems, String prefix) {
        try {
            return c.getObject(key);
        } catch (ConfigException e) {
            problems.add(e, prefix);
            return null;
        }
    }

    /**
     * Reports keys of {@code user} that {@code known} does not declare, recursing into blocks that declare
     * keys. A known empty block (labels, params, governor in the application block) is checked by its caller.
     * Returns {@code user} without its bad keys (unknown, or of the wrong shape), so the values that are left can
     * still be validated and reported in the same run.
     */
    private static ConfigObject checkKnownKeys(ConfigObject user, ConfigObject known, String prefix, Problems problems) {
        ConfigObject good = user;
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            String key = e.getKey();
            String path = prefix + "." + quote(key);
            ConfigValue v = e.getValue();
            ConfigValue k = known.get(key);
            boolean bad = false;
            if (k == null) {
                bad = true;
                problems.add(v.origin(), path, "unknown key" + Suggest.hint(key, known.keySet()));
            } else if (k.valueType() == ConfigValueType.OBJECT) {
                if (v.valueType() != ConfigValueType.OBJECT) {
                    bad = true;
                    problems.add(v.origin(), path, "must be a block { ... }, got " + v.valueType());
                } else if (!((ConfigObject) k).isEmpty()) {
                    ConfigObject inner = checkKnownKeys((ConfigObject) v, (ConfigObject) k, path, problems);
                    if (inner != v) {
                        good = good.withValue(key, inner);
                    }
                }
            } else if (v.valueType() == ConfigValueType.OBJECT) {
                bad = true;
                problems.add(v.origin(), path, "must be a single value, got a block");
            }
            if (bad) {
                good = good.withoutKey(key);
            }
        }
        return good;
    }

    private static String closestHint(String word, List<String> known) {
        String c = Suggest.closest(word, known);
        return c == null ? "" : "; did you mean '" + c + "'?";
    }

    private static String quote(String key) {
        return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
    }
}

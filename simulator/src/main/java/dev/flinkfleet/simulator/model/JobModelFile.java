package dev.flinkfleet.simulator.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import dev.flinkfleet.policies.config.RequiredIncludes;
import dev.flinkfleet.policies.config.SettingsCollector;
import dev.flinkfleet.simulator.BadInputException;
import dev.flinkfleet.simulator.FleetSettings;

/**
 * A job-model file: top-level keys over the reference defaults, plus an optional {@code overrides} block keyed
 * by trace file name ({@code overrides { "AAPL.csv" { trace-scale = 2 } }}) so one fleet can mix job models,
 * and an optional {@code fleet} block ({@code flinkfleet.simulator.fleet}) for the fleet they form. Unknown keys
 * and bad values are errors with file:line.
 */
public final class JobModelFile {

    public static final String PATH = "flinkfleet.simulator.job-model";
    static final String OVERRIDES = "overrides";
    public static final String FLEET_PATH = "flinkfleet.simulator.fleet";
    static final String FLEET = "fleet";
    /** Largest fleet rescale budget per minute. */
    static final int MAX_BUDGET = 1_000_000;
    private static final java.util.regex.Pattern BAD_VALUE = java.util.regex.Pattern.compile("Invalid value at '([^']*)': (.*)", java.util.regex.Pattern.DOTALL);

    private final Config base;
    private final Map<String, Config> overrides;
    private final Map<String, String> overridesAt;
    private final FleetSettings fleet;
    private final String pausedAt;

    private JobModelFile(Config base, Map<String, Config> overrides, Map<String, String> overridesAt, FleetSettings fleet, String pausedAt) {
        this.base = base;
        this.overrides = overrides;
        this.overridesAt = overridesAt;
        this.fleet = fleet;
        this.pausedAt = pausedAt;
    }

    /** The fleet's rescale budget per minute of simulated time ({@code fleet.max-rescales-per-minute}); 0 = unlimited. */
    public int maxRescalesPerMinute() {
        return fleet.maxRescalesPerMinute();
    }

    /** The {@code fleet} block. */
    public FleetSettings fleet() {
        return fleet;
    }

    /** The file:line of {@code fleet.paused-traces}, for an error about a name none of the traces has. */
    public String pausedAt() {
        return pausedAt;
    }

    /** The file:line of the override block for trace file {@code name}. */
    public String overrideAt(String name) {
        return overridesAt.getOrDefault(name, "overrides");
    }

    public static JobModelFile load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": job model file not found");
        }
        try {
            return parse(ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)
                    .setIncluder(new RequiredIncludes())));
        } catch (RequiredIncludes.Missing e) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException unreadable) {
                text = "";
            }
            throw new BadInputException(file + ":" + e.lineIn(text) + ": include \"" + e.what() + "\" not found or unreadable", e);
        } catch (ConfigException e) {
            throw error(e);
        }
    }

    /** The bundled default job model ({@code default-job.conf}). */
    public static JobModelFile defaults() {
        try (InputStream in = JobModelFile.class.getResourceAsStream("/default-job.conf")) {
            if (in == null) {
                throw new IllegalStateException("default-job.conf missing from the simulator jar");
            }
            return parse(ConfigFactory.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8),
                    ConfigParseOptions.defaults().setOriginDescription("default-job.conf")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Validates every key of the top level and of every override; all problems are reported together. */
    public static JobModelFile parse(Config file) {
        Config reference = ConfigFactory.defaultReference(JobModelFile.class.getClassLoader()).getConfig(PATH);
        List<String> problems = new ArrayList<>();
        Config top = checkKnown(file.withoutPath(OVERRIDES).withoutPath(FLEET), reference, "", problems);
        FleetSettings fleet = fleet(file, problems);
        String pausedAt = "fleet.paused-traces";
        if (file.hasPath(FLEET) && file.getValue(FLEET).valueType() == ConfigValueType.OBJECT && file.getConfig(FLEET).hasPath("paused-traces")) {
            pausedAt = where(file.getConfig(FLEET).getValue("paused-traces").origin()) + ": " + pausedAt;
        }
        Map<String, Config> ov = new TreeMap<>();
        Map<String, String> at = new TreeMap<>();
        if (file.hasPath(OVERRIDES)) {
            ConfigValue v = file.getValue(OVERRIDES);
            if (v.valueType() != ConfigValueType.OBJECT) {
                problems.add(where(v.origin()) + ": 'overrides' must be a block keyed by trace file name");
            } else {
                for (Map.Entry<String, ConfigValue> e : file.getObject(OVERRIDES).entrySet()) {
                    if (e.getValue().valueType() != ConfigValueType.OBJECT) {
                        problems.add(where(e.getValue().origin()) + ": overrides.\"" + e.getKey() + "\" must be a block of job-model keys");
                        continue;
                    }
                    Config c = ((com.typesafe.config.ConfigObject) e.getValue()).toConfig();
                    at.put(e.getKey(), where(e.getValue().origin()));
                    ov.put(e.getKey(), checkKnown(c, reference, "overrides.\"" + e.getKey() + "\".", problems));
                }
            }
        }
        Config base = top.withFallback(reference).resolve();
        collect(base, problems);
        for (Config c : ov.values()) {
            // An override's own values only: a bad top-level value is reported once, at its own line.
            collect(c.withFallback(reference), problems);
        }
        JobModelFile f = new JobModelFile(base, ov, at, fleet, pausedAt);
        if (!problems.isEmpty()) {
            problems.sort(java.util.Comparator.comparingInt(JobModelFile::lineOf)); // stable: file order within a line
            throw BadInputException.of(problems);
        }
        return f;
    }

    /** The {@code fleet} block over its reference defaults; the defaults after reporting a problem. */
    private static FleetSettings fleet(Config file, List<String> problems) {
        Config reference = ConfigFactory.defaultReference(JobModelFile.class.getClassLoader()).getConfig(FLEET_PATH);
        Config given = ConfigFactory.empty();
        if (file.hasPath(FLEET)) {
            ConfigValue v = file.getValue(FLEET);
            if (v.valueType() != ConfigValueType.OBJECT) {
                problems.add(where(v.origin()) + ": 'fleet' must be a block of fleet keys, e.g. fleet { max-rescales-per-minute = 5 }");
            } else {
                given = checkKnown(file.getConfig(FLEET), reference, "fleet.", problems, "fleet");
            }
        }
        try {
            Config c = given.withFallback(reference).resolve();
            SettingsCollector r = new SettingsCollector(c);
            int budget = r.intBetween("max-rescales-per-minute", 0, MAX_BUDGET);
            r.throwIfAny();
            return new FleetSettings(budget, java.util.Set.copyOf(c.getStringList("paused-traces")));
        } catch (ConfigException e) {
            problems.addAll(messages(e, "fleet."));
            return new FleetSettings(reference.getInt("max-rescales-per-minute"), java.util.Set.of());
        }
    }

    /** The model for the trace file {@code fileName} (its override over the file's top level), or the top level for null. */
    public JobModel modelFor(String fileName) {
        try {
            return JobModel.fromConfig(configFor(fileName));
        } catch (ConfigException e) {
            throw BadInputException.of(messages(e, ""));
        }
    }

    private Config configFor(String fileName) {
        if (fileName != null && overrides.containsKey(fileName)) {
            return overrides.get(fileName).withFallback(base);
        }
        return base;
    }

    private static void collect(Config c, List<String> problems) {
        try {
            JobModel.fromConfig(c);
        } catch (ConfigException e) {
            problems.addAll(messages(e, ""));
        }
    }

    /**
     * Where the value of {@code key} for trace file {@code fileName} was set: {@code file:line: key}, or
     * {@code key (reference default)}; error messages about a replay name the key this way.
     */
    public String keyAt(String fileName, String key) {
        Config c = configFor(fileName);
        if (!c.hasPath(key)) {
            return key;
        }
        ConfigOrigin o = c.getValue(key).origin();
        boolean override = fileName != null && overrides.containsKey(fileName) && overrides.get(fileName).hasPath(key);
        String name = override ? "overrides.\"" + fileName + "\"." + key : key;
        return o.resource() != null ? name + " (default " + c.getValue(key).render() + ")" : where(o) + ": " + name;
    }

    /** Override keys that named no trace, so a typo in a file name does not pass silently. */
    public java.util.Set<String> overrideNames() {
        return overrides.keySet();
    }

    /** Reports unknown keys and blocks given as values; returns {@code given} without them. */
    private static Config checkKnown(Config given, Config reference, String prefix, List<String> problems) {
        return checkKnown(given, reference, prefix, problems, "job-model");
    }

    private static Config checkKnown(Config given, Config reference, String prefix, List<String> problems, String kind) {
        Config good = given;
        for (Map.Entry<String, ConfigValue> e : given.root().entrySet()) {
            String path = quoteIfNeeded(e.getKey());
            if (!reference.hasPath(path)) {
                problems.add(where(e.getValue().origin()) + ": unknown " + kind + " key '" + prefix + e.getKey()
                        + "'; known: " + new java.util.TreeSet<>(reference.root().keySet()));
                good = good.withoutPath(path);
            } else if (e.getValue().valueType() == ConfigValueType.OBJECT) {
                problems.add(where(e.getValue().origin()) + ": " + kind + " key '" + prefix + e.getKey() + "' must be a value, not a block");
                good = good.withoutPath(path);
            }
        }
        return good;
    }

    private static String quoteIfNeeded(String key) {
        return com.typesafe.config.ConfigUtil.joinPath(key);
    }

    private static final java.util.regex.Pattern LINE = java.util.regex.Pattern.compile("^[^:]*:([0-9]+): ");

    private static int lineOf(String problem) {
        java.util.regex.Matcher m = LINE.matcher(problem);
        return m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }

    /** The config error as {@code file:line: message}, the form every simulator input error takes. */
    public static BadInputException error(ConfigException e) {
        return BadInputException.of(messages(e, ""), e);
    }

    /** Each problem of {@code e} as {@code file:line: [prefix]message}; several for a ValidationFailed. */
    static List<String> messages(ConfigException e, String prefix) {
        List<String> out = new ArrayList<>();
        if (e instanceof ConfigException.ValidationFailed v) {
            for (ConfigException.ValidationProblem p : v.problems()) {
                out.add((p.origin() != null ? where(p.origin()) + ": " : "") + prefix + p.path() + ": " + p.problem());
            }
            return out;
        }
        ConfigOrigin o = e.origin();
        String msg = e.getMessage();
        if (o != null && msg.startsWith(o.description() + ": ")) {
            msg = msg.substring(o.description().length() + 2);
        }
        java.util.regex.Matcher m = BAD_VALUE.matcher(msg);
        if (m.matches()) {
            msg = m.group(1) + ": " + m.group(2);
        }
        out.add(o != null ? where(o) + ": " + prefix + msg : prefix + msg);
        return out;
    }

    static String where(ConfigOrigin o) {
        // A description carries its own ": line" (e.g. "default-job.conf: 19"); the file name alone is wanted here.
        String file = o.filename() != null ? o.filename() : o.description().replaceFirst(": [0-9]+$", "");
        return o.lineNumber() > 0 ? file + ":" + o.lineNumber() : file;
    }
}

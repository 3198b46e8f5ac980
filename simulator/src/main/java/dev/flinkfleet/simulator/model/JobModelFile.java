package dev.flinkfleet.simulator.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import dev.flinkfleet.simulator.BadInputException;

/**
 * A job-model file: top-level keys over the reference defaults, plus an optional {@code overrides} block keyed
 * by trace file name ({@code overrides { "AAPL.csv" { trace-scale = 2 } }}) so one fleet can mix job models.
 * Unknown keys and bad values are errors with file:line.
 */
public final class JobModelFile {

    public static final String PATH = "flinkfleet.simulator.job-model";
    static final String OVERRIDES = "overrides";

    private final Config base;
    private final Map<String, Config> overrides;

    private JobModelFile(Config base, Map<String, Config> overrides) {
        this.base = base;
        this.overrides = overrides;
    }

    public static JobModelFile load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": job model file not found");
        }
        try {
            return parse(ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)));
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

    public static JobModelFile parse(Config file) {
        Config reference = ConfigFactory.defaultReference(JobModelFile.class.getClassLoader()).getConfig(PATH);
        checkKnown(file.withoutPath(OVERRIDES), reference, "");
        Map<String, Config> ov = new TreeMap<>();
        if (file.hasPath(OVERRIDES)) {
            ConfigValue v = file.getValue(OVERRIDES);
            if (v.valueType() != ConfigValueType.OBJECT) {
                throw new BadInputException(where(v.origin()) + ": 'overrides' must be a block keyed by trace file name");
            }
            for (Map.Entry<String, ConfigValue> e : file.getObject(OVERRIDES).entrySet()) {
                if (e.getValue().valueType() != ConfigValueType.OBJECT) {
                    throw new BadInputException(where(e.getValue().origin()) + ": overrides.\"" + e.getKey() + "\" must be a block of job-model keys");
                }
                Config c = ((com.typesafe.config.ConfigObject) e.getValue()).toConfig();
                checkKnown(c, reference, "overrides.\"" + e.getKey() + "\".");
                ov.put(e.getKey(), c);
            }
        }
        Config base = file.withoutPath(OVERRIDES).withFallback(reference).resolve();
        JobModelFile f = new JobModelFile(base, ov);
        f.modelFor(null);
        for (String k : ov.keySet()) {
            f.modelFor(k);
        }
        return f;
    }

    /** The model for the trace file {@code fileName} (its override over the file's top level), or the top level for null. */
    public JobModel modelFor(String fileName) {
        Config c = base;
        if (fileName != null && overrides.containsKey(fileName)) {
            c = overrides.get(fileName).withFallback(base);
        }
        try {
            return JobModel.fromConfig(c);
        } catch (ConfigException e) {
            throw error(e);
        }
    }

    /** Override keys that named no trace, so a typo in a file name does not pass silently. */
    public java.util.Set<String> overrideNames() {
        return overrides.keySet();
    }

    private static void checkKnown(Config given, Config reference, String prefix) {
        for (Map.Entry<String, ConfigValue> e : given.root().entrySet()) {
            if (!reference.hasPath(quoteIfNeeded(e.getKey()))) {
                throw new BadInputException(where(e.getValue().origin()) + ": unknown job-model key '" + prefix + e.getKey()
                        + "'; known: " + new java.util.TreeSet<>(reference.root().keySet()));
            }
            if (e.getValue().valueType() == ConfigValueType.OBJECT) {
                throw new BadInputException(where(e.getValue().origin()) + ": job-model key '" + prefix + e.getKey() + "' must be a value, not a block");
            }
        }
    }

    private static String quoteIfNeeded(String key) {
        return com.typesafe.config.ConfigUtil.joinPath(key);
    }

    /** The config error as {@code file:line: message}, the form every simulator input error takes. */
    public static BadInputException error(ConfigException e) {
        ConfigOrigin o = e.origin();
        String msg = e.getMessage();
        if (o != null && msg.startsWith(o.description() + ": ")) {
            msg = msg.substring(o.description().length() + 2);
        }
        return new BadInputException(o != null ? where(o) + ": " + msg : msg, e);
    }

    static String where(ConfigOrigin o) {
        String file = o.filename() != null ? o.filename() : o.description();
        return o.lineNumber() > 0 ? file + ":" + o.lineNumber() : file;
    }
}

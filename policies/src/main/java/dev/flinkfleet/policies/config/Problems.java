package dev.flinkfleet.policies.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;

/** Collects {@code file:line: key: message} problems for one file. */
final class Problems {


    /** {@code other} marks a problem in an included file, listed after this file's. */
    private record Problem(boolean other, int line, String text) {
    }

    /** How an override from the command line is named in its origin (and so in its problems). */
    static final String OVERRIDE = "--grid";

    private final Path file;
    private final List<Problem> problems = new ArrayList<>();
    /** Line used when a problem has no line in this file (e.g. a rule broken by a default value). */
    int fallbackLine = 1;

    Problems(Path file) {
        this.file = file;
    }

    void add(int line, String key, String message) {
        int l = Math.max(line, 1);
        problems.add(new Problem(false, l, file + ":" + l + ": " + key + ": " + message));
    }

    void add(ConfigOrigin origin, String key, String message) {
        if (origin != null && origin.filename() == null && origin.resource() == null && origin.url() == null
                && origin.description().startsWith(OVERRIDE)) {
            // A value given on the command line: name it as the user wrote it, after the file's name.
            String given = origin.description().replaceFirst(": [0-9]+$", "");
            problems.add(new Problem(true, 0, file + ": " + given + ": " + key + ": " + message));
            return;
        }
        if (inOtherFile(origin)) {
            // A key from an included file: its own file and line, listed after this file's problems.
            problems.add(new Problem(true, origin.lineNumber(), origin.filename() + ":" + origin.lineNumber() + ": " + key + ": " + message));
            return;
        }
        add(lineIn(origin), key, message);
    }

    private boolean inOtherFile(ConfigOrigin origin) {
        return origin != null && origin.resource() == null && origin.filename() != null && origin.lineNumber() > 0
                && !file.toString().equals(origin.filename());
    }

    int lineIn(ConfigOrigin origin) {
        return inFile(origin) ? origin.lineNumber() : fallbackLine;
    }

    /** True when {@code origin} is a line of this file (not of reference.conf, whose lines would mislead). */
    boolean inFile(ConfigOrigin origin) {
        return origin != null && origin.resource() == null && file.toString().equals(origin.filename()) && origin.lineNumber() > 0;
    }

    /**
     * Reports a typesafe-config exception (from a factory, the governor config or our own reads). Its key is
     * relative to the block that was read, so {@code prefix} (e.g. {@code application.params}) is put before it.
     * A {@link ConfigException.ValidationFailed} (several problems of one block, see {@link SettingsCollector})
     * is reported as each of its problems.
     */
    void add(ConfigException e, String prefix) {
        if (e instanceof ConfigException.ValidationFailed v) {
            for (ConfigException.ValidationProblem p : v.problems()) {
                add(p.origin(), join(prefix, p.path()), p.problem());
            }
            return;
        }
        ConfigErrors.Keyed k = ConfigErrors.keyed(e);
        add(e.origin(), join(prefix, k.key()), k.message());
    }

    private static String join(String prefix, String key) {
        return key == null || key.isEmpty() ? prefix : prefix.isEmpty() ? key : prefix + "." + key;
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Appends this file's problems to {@code out} in line order. */
    void drainTo(List<String> out) {
        problems.stream().sorted(java.util.Comparator.comparing(Problem::other).thenComparingInt(Problem::line)).map(Problem::text).forEach(out::add);
        problems.clear();
    }
}

package dev.flinkfleet.policies.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;

/** Collects {@code file:line: key: message} problems for one file. */
final class Problems {

    private static final Pattern BAD_VALUE = Pattern.compile("Invalid value at '([^']*)': (.*)", Pattern.DOTALL);
    private static final Pattern WRONG_TYPE = Pattern.compile("(\\S+) (has type .*)", Pattern.DOTALL);
    private static final Pattern MISSING = Pattern.compile("No configuration setting found for key '([^']*)'", Pattern.DOTALL);

    private record Problem(int line, String text) {
    }

    private final Path file;
    private final List<Problem> problems = new ArrayList<>();
    /** Line used when a problem has no line in this file (e.g. a rule broken by a default value). */
    int fallbackLine = 1;

    Problems(Path file) {
        this.file = file;
    }

    void add(int line, String key, String message) {
        int l = Math.max(line, 1);
        problems.add(new Problem(l, file + ":" + l + ": " + key + ": " + message));
    }

    void add(ConfigOrigin origin, String key, String message) {
        add(lineIn(origin), key, message);
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
     */
    void add(ConfigException e, String prefix) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        ConfigOrigin origin = e.origin();
        if (origin != null && msg.startsWith(origin.description() + ": ")) {
            msg = msg.substring(origin.description().length() + 2);
        }
        String key = null;
        Matcher m;
        if ((m = BAD_VALUE.matcher(msg)).matches()) {
            key = m.group(1);
            msg = m.group(2);
        } else if ((m = MISSING.matcher(msg)).matches()) {
            key = m.group(1);
            msg = "missing";
        } else if (e instanceof ConfigException.WrongType && (m = WRONG_TYPE.matcher(msg)).matches()) {
            key = m.group(1);
            msg = m.group(2);
        }
        String full = key == null || key.isEmpty() ? prefix : prefix.isEmpty() ? key : prefix + "." + key;
        add(origin, full, msg);
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Appends this file's problems to {@code out} in line order. */
    void drainTo(List<String> out) {
        problems.stream().sorted(java.util.Comparator.comparingInt(Problem::line)).map(Problem::text).forEach(out::add);
        problems.clear();
    }
}

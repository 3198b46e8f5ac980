package dev.flinkfleet.autoscaler.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;

/**
 * The problems of one daemon config, each {@code file:line: key: message}. A value set in an included file is
 * reported at that file's line; one that comes from reference.conf (a rule broken by a default) at the
 * config file, without a line, since reference.conf's lines would mislead.
 */
final class ConfigProblems {

    private static final Pattern BAD_VALUE = Pattern.compile("Invalid value at '([^']*)': (.*)", Pattern.DOTALL);
    private static final Pattern WRONG_TYPE = Pattern.compile("(\\S+) (has type .*)", Pattern.DOTALL);
    private static final Pattern MISSING = Pattern.compile("No configuration setting found for key '([^']*)'", Pattern.DOTALL);

    /** One problem; {@code key} may be null (syntax, includes). */
    record Problem(String file, int line, String key, String message) {
        @Override
        public String toString() {
            return file + (line > 0 ? ":" + line : "") + ": " + (key == null ? "" : key + ": ") + message;
        }
    }

    private final Path file;
    private final List<Problem> problems = new ArrayList<>();

    ConfigProblems(Path file) {
        this.file = file;
    }

    void add(ConfigOrigin origin, String key, String message) {
        if (origin != null && origin.filename() != null && origin.resource() == null) {
            problems.add(new Problem(origin.filename(), Math.max(origin.lineNumber(), 0), key, message));
        } else {
            boolean fromReference = origin != null && origin.resource() != null;
            problems.add(new Problem(file.toString(), 0, key, message + (fromReference ? " (default from " + origin.resource() + ")" : "")));
        }
    }

    void add(Path where, int line, String key, String message) {
        problems.add(new Problem(where.toString(), line, key, message));
    }

    /**
     * Reports a typesafe-config exception and returns the key it names, or null when it names none. A reader
     * that works on a sub-block reports keys relative to it; {@code qualify} turns them into full paths.
     */
    String add(ConfigException e, java.util.function.UnaryOperator<String> qualify) {
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
        key = key == null || key.isEmpty() ? null : qualify.apply(key);
        add(origin, key, msg);
        return key;
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Every problem once, by file then line. */
    List<String> sorted() {
        Set<String> out = new LinkedHashSet<>();
        problems.stream().sorted(Comparator.comparing(Problem::file).thenComparingInt(Problem::line))
                .map(Problem::toString).forEach(out::add);
        return List.copyOf(out);
    }
}

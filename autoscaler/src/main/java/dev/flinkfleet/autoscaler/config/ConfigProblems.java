package dev.flinkfleet.autoscaler.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;

import dev.flinkfleet.policies.config.ConfigErrors;

/**
 * The problems of one daemon config, each {@code file:line: key: message}. A value set in an included file is
 * reported at that file's line; one that comes from reference.conf (a rule broken by a default) at the
 * config file, without a line, since reference.conf's lines would mislead.
 */
final class ConfigProblems {


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
        ConfigErrors.Keyed k = ConfigErrors.keyed(e);
        String key = k.key() == null || k.key().isEmpty() ? null : qualify.apply(k.key());
        add(e.origin(), key, k.message());
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

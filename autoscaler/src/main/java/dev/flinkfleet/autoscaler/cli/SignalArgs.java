package dev.flinkfleet.autoscaler.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/**
 * Parses {@code key=value[@ageSeconds]} arguments into {@link Signals}. Keys are {@link SignalKind#key()}s plus
 * {@code workers}, {@code parallelism} and {@code max-parallelism}. A signal is missing only when it is not given
 * or given as {@code NaN}; any other value outside its domain is an error, so a typo cannot pass for a missing
 * signal: values are plain decimal numbers (no {@code Infinity}, hex or {@code 1d}), finite (not {@code 1e400}),
 * not negative unless the signal is signed (backlog-growth), {@code cpu} a busy fraction in [0, 1], and the
 * deployment keys whole numbers &gt;= 1.
 */
final class SignalArgs {

    static final List<String> DEPLOYMENT_KEYS = List.of("workers", "parallelism", "max-parallelism");

    /** A CSV-style decimal: optional sign, digits with an optional fraction, optional exponent. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private SignalArgs() {
    }

    /**
     * @param staleAfterSeconds ages above this are marked stale (the governor's max-signal-age)
     * @param slotsPerWorker    parallelism per worker when {@code parallelism} is not given
     * @throws IllegalArgumentException naming every bad argument, one per line
     */
    static Signals parse(List<String> args, JobRef job, Instant now, double staleAfterSeconds, int slotsPerWorker) {
        Signals.Builder b = Signals.builder(job, now);
        Set<String> seen = new HashSet<>();
        List<String> errors = new ArrayList<>();
        Integer workers = null;
        Integer parallelism = null;
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                errors.add("expected key=value, got '" + arg + "'");
                continue;
            }
            String key = arg.substring(0, eq);
            String value = arg.substring(eq + 1).strip();
            if (!seen.add(key)) {
                errors.add(key + ": given twice");
                continue;
            }
            try {
                if (DEPLOYMENT_KEYS.contains(key)) {
                    int n = integer(key, value);
                    switch (key) {
                        case "workers" -> workers = n;
                        case "parallelism" -> parallelism = n;
                        default -> b.maxParallelism(n);
                    }
                    continue;
                }
                SignalKind kind = kind(key);
                double age = 0;
                int at = value.indexOf('@');
                if (at >= 0) {
                    String ageText = value.substring(at + 1).strip();
                    age = number(key + " age", ageText);
                    if (age < 0) {
                        throw new IllegalArgumentException(key + ": age must be seconds >= 0, got '" + ageText + "'");
                    }
                    value = value.substring(0, at).strip();
                }
                if (value.equalsIgnoreCase("NaN")) {
                    continue; // missing, as the user asked
                }
                double v = number(key, value);
                String domain = domainError(kind, v);
                if (domain != null) {
                    throw new IllegalArgumentException(key + ": " + domain + ", got '" + value + "'");
                }
                b.set(kind, Measurement.of(kind, v, age, staleAfterSeconds));
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", errors));
        }
        int w = workers == null ? 1 : workers;
        // Without an explicit parallelism, every slot of every worker runs a subtask (the governor's layout).
        return b.workers(w).parallelism(parallelism == null ? w * slotsPerWorker : parallelism).build();
    }

    /** Why {@code v} is outside the domain of {@code kind}, or null. */
    private static String domainError(SignalKind kind, double v) {
        if (kind == SignalKind.CPU && (v < 0 || v > 1)) {
            return "must be a busy fraction in [0, 1] (0.9 = 90 % busy)";
        }
        if (!kind.signed() && v < 0) {
            return "must be >= 0";
        }
        return null;
    }

    private static SignalKind kind(String key) {
        try {
            return SignalKind.fromKey(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown signal '" + key + "'; known: "
                    + Arrays.stream(SignalKind.values()).map(SignalKind::key).collect(Collectors.joining(", "))
                    + ", " + String.join(", ", DEPLOYMENT_KEYS));
        }
    }

    /** A finite plain decimal number. */
    private static double number(String key, String value) {
        if (!DECIMAL.matcher(value).matches()) {
            throw new IllegalArgumentException(key + ": not a decimal number: '" + value + "' (NaN = missing)");
        }
        double d = Double.parseDouble(value);
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(key + ": out of range: '" + value + "'");
        }
        return d;
    }

    private static int integer(String key, String value) {
        int n;
        try {
            if (!value.matches("[+-]?\\d+")) {
                throw new NumberFormatException();
            }
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": not a whole number: '" + value + "'");
        }
        if (n < 1) {
            throw new IllegalArgumentException(key + ": must be >= 1, got " + n
                    + (key.equals("max-parallelism") ? " (leave it out when unknown)" : ""));
        }
        return n;
    }
}

package dev.flinkfleet.autoscaler.cli;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/**
 * Parses {@code key=value[@ageSeconds]} arguments into {@link Signals}. Keys are {@link SignalKind#key()}s plus
 * {@code workers}, {@code parallelism} and {@code max-parallelism}. A signal not given is missing; a value such
 * as {@code NaN} or a negative backlog becomes missing, as it would from a real source.
 */
final class SignalArgs {

    static final List<String> DEPLOYMENT_KEYS = List.of("workers", "parallelism", "max-parallelism");

    private SignalArgs() {
    }

    /**
     * @param staleAfterSeconds ages above this are marked stale (the governor's max-signal-age)
     * @param slotsPerWorker    parallelism per worker when {@code parallelism} is not given
     * @throws IllegalArgumentException naming the bad argument
     */
    static Signals parse(List<String> args, JobRef job, Instant now, double staleAfterSeconds, int slotsPerWorker) {
        Signals.Builder b = Signals.builder(job, now);
        Set<String> seen = new HashSet<>();
        Integer workers = null;
        Integer parallelism = null;
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
            }
            String key = arg.substring(0, eq);
            String value = arg.substring(eq + 1);
            if (!seen.add(key)) {
                throw new IllegalArgumentException("'" + key + "' given twice");
            }
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
                age = number(key + " age", value.substring(at + 1));
                if (!(age >= 0) || Double.isInfinite(age)) {
                    throw new IllegalArgumentException(key + ": age must be a number of seconds >= 0, got '" + value.substring(at + 1) + "'");
                }
                value = value.substring(0, at);
            }
            b.set(kind, Measurement.of(kind, number(key, value), age, staleAfterSeconds));
        }
        int w = workers == null ? 1 : workers;
        // Without an explicit parallelism, every slot of every worker runs a subtask (the governor's layout).
        return b.workers(w).parallelism(parallelism == null ? w * slotsPerWorker : parallelism).build();
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

    private static double number(String key, String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": not a number: '" + value + "'");
        }
    }

    private static int integer(String key, String value) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": not an integer: '" + value + "'");
        }
        if (n < (key.equals("max-parallelism") ? 0 : 1)) {
            throw new IllegalArgumentException(key + ": must be >= " + (key.equals("max-parallelism") ? "0 (0 = unknown)" : "1") + ", got " + n);
        }
        return n;
    }
}

package dev.flinkfleet.simulator.sweep;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

/**
 * One {@code --param key=lo..hi} search range over a policy file's application block: a number (integer when both
 * ends are) or a HOCON duration (searched in whole seconds).
 */
public record ParamRange(String key, double lo, double hi, Kind kind) {

    /** How values are written back into the policy file. */
    public enum Kind { INTEGER, DECIMAL, DURATION }

    /** Parses {@code key=lo..hi}; the message of the exception says what is wrong, without the option name. */
    public static ParamRange parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("'" + spec + "': expected key=lo..hi");
        }
        String key = spec.substring(0, eq).strip();
        if (!(key.startsWith("params.") || key.startsWith("governor.")) || key.endsWith(".")) {
            throw new IllegalArgumentException("'" + spec + "': key must be params.<key> or governor.<key>, got '" + key + "'");
        }
        String[] ends = spec.substring(eq + 1).split("\\.\\.", -1);
        if (ends.length != 2 || ends[0].isBlank() || ends[1].isBlank()) {
            throw new IllegalArgumentException("'" + spec + "': expected a range lo..hi, e.g. 0.5..0.9 or 1m..20m");
        }
        String a = ends[0].strip();
        String b = ends[1].strip();
        Double na = number(a);
        Double nb = number(b);
        double lo;
        double hi;
        Kind kind;
        if (na != null && nb != null) {
            lo = na;
            hi = nb;
            kind = isInteger(a) && isInteger(b) ? Kind.INTEGER : Kind.DECIMAL;
        } else if (na != null || nb != null) {
            throw new IllegalArgumentException("'" + spec + "': both ends must be numbers or both durations (e.g. 30s..10m)");
        } else {
            Double da = seconds(a);
            Double db = seconds(b);
            if (da == null || db == null) {
                throw new IllegalArgumentException("'" + spec + "': both ends must be numbers or both durations (e.g. 30s..10m)");
            }
            lo = da;
            hi = db;
            kind = Kind.DURATION;
        }
        if (!(lo < hi)) {
            throw new IllegalArgumentException("'" + spec + "': lo must be below hi");
        }
        return new ParamRange(key, lo, hi, kind);
    }

    /**
     * The grid values of one round: {@code points} evenly spaced over {@code span} centred on {@code center},
     * clamped to the range, rounded to how the value is written, without duplicates.
     */
    public List<Double> values(double center, double span, int points) {
        double from = Math.max(lo, Math.min(hi - span, center - span / 2));
        double to = Math.min(hi, from + span);
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            double v = round(points == 1 ? center : from + (to - from) * i / (points - 1));
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        return out;
    }

    /** Rounded to what {@link #format} writes, so a value and its text agree. */
    public double round(double v) {
        return switch (kind) {
            case INTEGER, DURATION -> Math.round(v);
            case DECIMAL -> BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP).doubleValue();
        };
    }

    /** The HOCON value text: {@code 7}, {@code 0.65}, {@code 90s}. */
    public String format(double v) {
        return switch (kind) {
            case INTEGER -> Long.toString(Math.round(v));
            case DURATION -> Math.round(v) + "s";
            case DECIMAL -> BigDecimal.valueOf(round(v)).stripTrailingZeros().toPlainString();
        };
    }

    private static Double number(String s) {
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isInteger(String s) {
        return s.matches("-?\\d+");
    }

    private static Double seconds(String s) {
        try {
            return ConfigFactory.empty().withValue("d", ConfigValueFactory.fromAnyRef(s)).getDuration("d", TimeUnit.MILLISECONDS) / 1000.0;
        } catch (ConfigException e) {
            return null;
        }
    }
}

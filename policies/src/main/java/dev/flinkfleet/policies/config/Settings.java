package dev.flinkfleet.policies.config;

import java.time.Duration;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

/**
 * Typed, range-checked reads from a {@link Config}. Every failure is a {@link ConfigException.BadValue} whose
 * message carries the value's origin (file and line) and the key, so users can find the mistake.
 * Defaults are not given here: they live in {@code reference.conf}, merged in before these calls.
 */
public final class Settings {

    private Settings() {
    }

    public static int intAtLeast(Config c, String key, int min) {
        // Config.getInt silently truncates 2.5 to 2; a fractional count is a mistake the user should hear about.
        double d = c.getDouble(key);
        if (d != Math.rint(d)) {
            throw bad(c, key, "must be a whole number, got " + d);
        }
        int v = c.getInt(key);
        if (v < min) {
            throw bad(c, key, "must be >= " + min + ", got " + v);
        }
        return v;
    }

    public static double doubleAtLeast(Config c, String key, double min, boolean inclusive) {
        double v = c.getDouble(key);
        if (!Double.isFinite(v) || (inclusive ? v < min : v <= min)) {
            throw bad(c, key, "must be " + (inclusive ? ">= " : "> ") + min + ", got " + v);
        }
        return v;
    }

    /** A whole number in [min, max]: the bounds keep arithmetic on it (sizes, products) from overflowing. */
    public static int intBetween(Config c, String key, int min, int max) {
        int v = intAtLeast(c, key, min);
        if (v > max) {
            throw bad(c, key, "must be <= " + max + ", got " + v);
        }
        return v;
    }

    /** A finite number above {@code min} (or at it when {@code inclusive}) and at most {@code max}. */
    public static double doubleBetween(Config c, String key, double min, boolean inclusive, double max) {
        double v = doubleAtLeast(c, key, min, inclusive);
        if (v > max) {
            throw bad(c, key, "must be <= " + max + ", got " + v);
        }
        return v;
    }

    /** A fraction in (0, 1] (or [0, 1] when {@code zeroAllowed}). */
    public static double fraction(Config c, String key, boolean zeroAllowed) {
        double v = c.getDouble(key);
        if (!Double.isFinite(v) || v > 1 || (zeroAllowed ? v < 0 : v <= 0)) {
            throw bad(c, key, "must be a fraction in " + (zeroAllowed ? "[0, 1]" : "(0, 1]") + ", got " + v);
        }
        return v;
    }

    /** A duration &gt; 0 (or &gt;= 0 when {@code zeroAllowed}). Accepts HOCON durations such as {@code 90s}, {@code 2m}. */
    public static Duration duration(Config c, String key, boolean zeroAllowed) {
        // HOCON reads a bare number as milliseconds; `time-to-drain = 60` meaning 60 ms is a trap, so demand a unit.
        if (c.hasPath(key) && c.getValue(key).valueType() == com.typesafe.config.ConfigValueType.NUMBER) {
            throw bad(c, key, "needs a unit, e.g. " + c.getValue(key).unwrapped() + "s or " + c.getValue(key).unwrapped() + "m");
        }
        Duration d = c.getDuration(key);
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw bad(c, key, "must be a duration " + (zeroAllowed ? ">= 0" : "> 0") + ", got " + d);
        }
        return d;
    }

    /**
     * A duration typed outside a file (a command-line option) read exactly as {@link #duration} reads one from a
     * policy or config file: HOCON's parser ({@code 90s}, {@code 5m}, {@code 5 minutes}, {@code 1.5h}) and the same
     * "needs a unit" rule, so one spelling works in both places.
     *
     * @param what names the value in the message (e.g. the option)
     * @throws IllegalArgumentException naming {@code what} and the text when it is not a duration with a unit
     */
    public static Duration parseDuration(String what, String text) {
        String t = text == null ? "" : text.trim();
        Config c = ConfigFactory.empty().withValue(KEY, ConfigValueFactory.fromAnyRef(t, what));
        if (t.matches("[+-]?[0-9]+(\\.[0-9]*)?")) {
            throw new IllegalArgumentException(what + ": '" + t + "' needs a unit, e.g. " + t + "s, " + t + "m or " + t + " minutes");
        }
        try {
            return c.getDuration(KEY);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(what + ": not a duration: '" + t + "' (e.g. 90s, 5m, 5 minutes, 1h)");
        }
    }

    private static final String KEY = "duration";

    /** A {@link ConfigException.BadValue} at the origin of {@code key} in {@code c}. */
    public static ConfigException.BadValue bad(Config c, String key, String message) {
        if (c.hasPath(key)) {
            return new ConfigException.BadValue(c.getValue(key).origin(), key, message);
        }
        return new ConfigException.BadValue(key, message);
    }
}

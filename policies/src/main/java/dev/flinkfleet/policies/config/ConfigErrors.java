package dev.flinkfleet.policies.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;

/**
 * Splits a typesafe-config exception's message into the key it names and the message proper, without the origin
 * prefix, so policy files and the daemon config can both report it as {@code file:line: key: message}.
 */
public final class ConfigErrors {

    private static final Pattern BAD_VALUE = Pattern.compile("Invalid value at '([^']*)': (.*)", Pattern.DOTALL);
    private static final Pattern WRONG_TYPE = Pattern.compile("(\\S+) (has type .*)", Pattern.DOTALL);
    private static final Pattern MISSING = Pattern.compile("No configuration setting found for key '([^']*)'", Pattern.DOTALL);

    private ConfigErrors() {
    }

    /** A problem's key (null when the message names none) and its message without the origin or key. */
    public record Keyed(String key, String message) {
    }

    public static Keyed keyed(ConfigException e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        ConfigOrigin origin = e.origin();
        if (origin != null && msg.startsWith(origin.description() + ": ")) {
            msg = msg.substring(origin.description().length() + 2);
        }
        Matcher m;
        if ((m = BAD_VALUE.matcher(msg)).matches()) {
            return new Keyed(m.group(1), m.group(2));
        } else if ((m = MISSING.matcher(msg)).matches()) {
            return new Keyed(m.group(1), "missing");
        } else if (e instanceof ConfigException.WrongType && (m = WRONG_TYPE.matcher(msg)).matches()) {
            return new Keyed(m.group(1), m.group(2));
        }
        return new Keyed(null, msg);
    }
}

package dev.flinkfleet.autoscaler.cli;

import java.time.Duration;

import dev.flinkfleet.policies.config.Settings;
import picocli.CommandLine;

/**
 * Durations on the command line, read as policy and config files read them ({@code 90s}, {@code 5m},
 * {@code 5 minutes}, {@code 1h}): one parser, {@link Settings#parseDuration}, so a value copied from a policy file
 * works as an option and back.
 */
public final class Durations {

    private Durations() {
    }

    /** @throws IllegalArgumentException naming {@code option} when {@code text} is not a duration with a unit */
    static Duration parse(String option, String text) {
        return Settings.parseDuration(option, text);
    }

    /** For picocli options typed {@link Duration}: a bad value is a usage error naming the option. */
    public static final class Converter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Settings.parseDuration("value", value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage().replaceFirst("^value: ", ""));
            }
        }
    }

    /** {@link #parse} for an option that must be longer than zero; the message names the option. */
    static Duration positive(String option, String text) {
        Duration d = parse(option, text);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(option + " must be positive, got " + text);
        }
        return d;
    }

    /** The largest whole unit: 10m, 90s, 1500ms. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}

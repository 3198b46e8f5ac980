package dev.flinkfleet.policies.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/**
 * Reads settings as {@link Settings} does, but keeps going after a bad value so a block with five mistakes
 * reports five, not the first. A failed read returns a placeholder (NaN, null, the minimum); call
 * {@link #throwIfAny()} before using the values. One problem is thrown as itself; several as one
 * {@link ConfigException.ValidationFailed} holding each with its origin and key.
 */
public final class SettingsCollector {

    private final Config config;
    private final List<ConfigException> problems = new ArrayList<>();
    private final Set<String> failed = new HashSet<>();

    public SettingsCollector(Config config) {
        this.config = config;
    }

    public int intAtLeast(String key, int min) {
        return read(key, () -> Settings.intAtLeast(config, key, min), min);
    }

    public double doubleAtLeast(String key, double min, boolean inclusive) {
        return read(key, () -> Settings.doubleAtLeast(config, key, min, inclusive), Double.NaN);
    }

    public int intBetween(String key, int min, int max) {
        return read(key, () -> Settings.intBetween(config, key, min, max), min);
    }

    public double doubleBetween(String key, double min, boolean inclusive, double max) {
        return read(key, () -> Settings.doubleBetween(config, key, min, inclusive, max), Double.NaN);
    }

    public double fraction(String key, boolean zeroAllowed) {
        return read(key, () -> Settings.fraction(config, key, zeroAllowed), Double.NaN);
    }

    public Duration duration(String key, boolean zeroAllowed) {
        return read(key, () -> Settings.duration(config, key, zeroAllowed), null);
    }

    public boolean bool(String key) {
        return read(key, () -> config.getBoolean(key), false);
    }

    /** Records a broken rule between keys (e.g. a lower bound above an upper one) at {@code key}'s origin. */
    public void fail(String key, String message) {
        problems.add(Settings.bad(config, key, message));
    }

    /** True when every one of {@code keys} was read: rules between keys are only checked over values that were read. */
    public boolean allRead(String... keys) {
        for (String k : keys) {
            if (failed.contains(k)) {
                return false;
            }
        }
        return true;
    }

    public void throwIfAny() {
        if (problems.size() == 1) {
            throw problems.get(0);
        }
        if (!problems.isEmpty()) {
            List<ConfigException.ValidationProblem> list = new ArrayList<>();
            for (ConfigException e : problems) {
                ConfigErrors.Keyed k = ConfigErrors.keyed(e);
                list.add(new ConfigException.ValidationProblem(k.key() == null ? "" : k.key(), e.origin(), k.message()));
            }
            throw new ConfigException.ValidationFailed(list);
        }
    }

    private <T> T read(String key, Supplier<T> read, T placeholder) {
        try {
            return read.get();
        } catch (ConfigException e) {
            problems.add(e);
            failed.add(key);
            return placeholder;
        }
    }
}

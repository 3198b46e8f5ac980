package dev.flinkfleet.policies.config;

import static dev.flinkfleet.policies.governor.GovernorConfig.EXCLUDED_PERIODS;
import static dev.flinkfleet.policies.governor.GovernorConfig.EXCLUDED_PERIODS_TIME_ZONE;
import static dev.flinkfleet.policies.governor.GovernorConfig.FALLBACK_AFTER;
import static dev.flinkfleet.policies.governor.GovernorConfig.FALLBACK_WORKERS;
import static dev.flinkfleet.policies.governor.GovernorConfig.KEYS;
import static dev.flinkfleet.policies.governor.GovernorConfig.MAX_SIGNAL_AGE;
import static dev.flinkfleet.policies.governor.GovernorConfig.MAX_STEP_DOWN_FRACTION;
import static dev.flinkfleet.policies.governor.GovernorConfig.MAX_STEP_UP_WORKERS;
import static dev.flinkfleet.policies.governor.GovernorConfig.MAX_WORKERS;
import static dev.flinkfleet.policies.governor.GovernorConfig.MIN_WORKERS;
import static dev.flinkfleet.policies.governor.GovernorConfig.RESPECT_MAX_PARALLELISM;
import static dev.flinkfleet.policies.governor.GovernorConfig.SCALE_DOWN_COOLDOWN;
import static dev.flinkfleet.policies.governor.GovernorConfig.SCALE_DOWN_STABILIZATION_WINDOW;
import static dev.flinkfleet.policies.governor.GovernorConfig.SCALE_UP_COOLDOWN;
import static dev.flinkfleet.policies.governor.GovernorConfig.SLOTS_PER_WORKER;
import static dev.flinkfleet.policies.governor.GovernorConfig.SNAP_TO_PARTITION_DIVISOR;
import static dev.flinkfleet.policies.governor.GovernorConfig.TOLERANCE;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.policies.governor.ExcludedPeriods;
import dev.flinkfleet.policies.governor.GovernorConfig;

/**
 * Reads a {@code flinkfleet.governor} block into a {@link GovernorConfig}. It lives here, with the other config
 * readers, so the dependency runs one way: config knows the governor, the governor knows no config files.
 */
public final class GovernorSettings {

    private GovernorSettings() {
    }

    /**
     * Reads a {@code flinkfleet.governor} block that is already merged over the reference defaults. Every
     * failure (wrong type, out of range, unknown key) is a {@link com.typesafe.config.ConfigException} naming the
     * key and the file and line it came from.
     */
    public static GovernorConfig read(Config c) {
        // Every key is read even after a bad one, so the user hears about all of them at once.
        SettingsCollector r = new SettingsCollector(c);
        for (String key : c.root().keySet()) {
            if (!KEYS.contains(key)) {
                r.fail(key, "unknown governor key; known: " + KEYS.stream().sorted().toList());
            }
        }
        int min = r.intAtLeast(MIN_WORKERS, 1);
        // A whole number like every count: `max-workers = 10.5` is an error, not 10.
        int max = r.intAtLeast(MAX_WORKERS, 1);
        int slots = r.intAtLeast(SLOTS_PER_WORKER, 1);
        boolean respect = r.bool(RESPECT_MAX_PARALLELISM);
        boolean snap = r.bool(SNAP_TO_PARTITION_DIVISOR);
        double tolerance = r.doubleAtLeast(TOLERANCE, 0, true);
        Duration upCooldown = r.duration(SCALE_UP_COOLDOWN, true);
        Duration downCooldown = r.duration(SCALE_DOWN_COOLDOWN, true);
        Duration window = r.duration(SCALE_DOWN_STABILIZATION_WINDOW, true);
        int stepUp = r.intAtLeast(MAX_STEP_UP_WORKERS, 0);
        double stepDown = r.fraction(MAX_STEP_DOWN_FRACTION, false);
        Duration maxAge = r.duration(MAX_SIGNAL_AGE, true);
        int fallbackWorkers = r.intAtLeast(FALLBACK_WORKERS, 0);
        Duration fallbackAfter = r.duration(FALLBACK_AFTER, false);
        ExcludedPeriods excluded = excludedPeriods(c, r);
        if (tolerance >= 1) {
            r.fail(TOLERANCE, "must be a fraction in [0, 1), got " + tolerance);
        }
        if (r.allRead(MIN_WORKERS, MAX_WORKERS) && max < min) {
            r.fail(MAX_WORKERS, "must be >= " + MIN_WORKERS + " (" + min + "), got " + max);
        }
        r.throwIfAny();
        return new GovernorConfig(min, max, slots, respect, snap, tolerance, upCooldown, downCooldown, window,
                stepUp, stepDown, maxAge, excluded, fallbackWorkers, fallbackAfter);
    }

    /** The excluded periods in their zone; a problem is recorded in {@code r} (and NONE returned). */
    private static ExcludedPeriods excludedPeriods(Config c, SettingsCollector r) {
        ZoneId zone = null;
        try {
            zone = ZoneId.of(c.getString(EXCLUDED_PERIODS_TIME_ZONE).strip());
        } catch (DateTimeException e) {
            r.fail(EXCLUDED_PERIODS_TIME_ZONE, "not a time zone id (e.g. UTC, Europe/Berlin): " + e.getMessage());
        } catch (com.typesafe.config.ConfigException e) {
            r.fail(EXCLUDED_PERIODS_TIME_ZONE, e.getMessage());
        }
        List<String> entries;
        try {
            entries = c.getStringList(EXCLUDED_PERIODS);
        } catch (com.typesafe.config.ConfigException e) {
            r.fail(EXCLUDED_PERIODS, "must be a list of strings: " + e.getMessage());
            return ExcludedPeriods.NONE;
        }
        try {
            return ExcludedPeriods.parse(entries, zone == null ? ZoneId.of("UTC") : zone);
        } catch (IllegalArgumentException e) {
            r.fail(EXCLUDED_PERIODS, e.getMessage());
            return ExcludedPeriods.NONE;
        }
    }

    /** The reference defaults. */
    public static GovernorConfig defaults() {
        return read(ConfigFactory.defaultReference().getConfig(GovernorConfig.PATH));
    }
}

package dev.flinkfleet.policies.governor;

import java.time.Duration;

import com.typesafe.config.Config;

import dev.flinkfleet.policies.config.Settings;

/** TEMPORARY STUB so config-cli compiles before the governor branch lands; the governor branch's file wins. */
public record GovernorConfig(int minWorkers, int maxWorkers, Duration maxSignalAge) {

    public static GovernorConfig fromConfig(Config c) {
        return new GovernorConfig(Settings.intAtLeast(c, "min-workers", 1), Settings.intAtLeast(c, "max-workers", 1),
                Settings.duration(c, "max-signal-age", false));
    }

    public static GovernorConfig defaults() {
        return new GovernorConfig(1, 100, Duration.ofMinutes(5));
    }
}

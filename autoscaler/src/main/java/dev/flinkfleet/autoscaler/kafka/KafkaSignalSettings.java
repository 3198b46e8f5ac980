package dev.flinkfleet.autoscaler.kafka;

import java.time.Duration;
import java.util.Objects;

import com.typesafe.config.Config;

import dev.flinkfleet.policies.config.Settings;
import dev.flinkfleet.policies.signals.BacklogSignals;
import dev.flinkfleet.policies.signals.OffsetSettings;

/**
 * Settings of the Kafka signal collector, read from {@code flinkfleet.kafka} (declared with defaults and docs in
 * the autoscaler's {@code reference.conf}).
 *
 * @param adminTimeout     deadline of each Admin call
 * @param topicMetadataTtl how long a topic's partition count is cached
 * @param rateWindow       least span the input rate is measured over
 * @param growthWindow     least span between the two commit points growth is measured over (&gt;= checkpoint interval)
 * @param historySamples   samples kept per job
 * @param staleAfter       values older than this are {@code STALE}
 * @param cycleDeadline    most real time one cluster's read may take per cycle, retries included
 */
public record KafkaSignalSettings(
        Duration adminTimeout,
        Duration topicMetadataTtl,
        Duration rateWindow,
        Duration growthWindow,
        int historySamples,
        Duration staleAfter,
        Duration cycleDeadline) {

    public static final String PATH = "flinkfleet.kafka";

    public KafkaSignalSettings {
        requirePositive(adminTimeout, "adminTimeout");
        requirePositive(topicMetadataTtl, "topicMetadataTtl");
        requirePositive(rateWindow, "rateWindow");
        requirePositive(growthWindow, "growthWindow");
        requirePositive(staleAfter, "staleAfter");
        requirePositive(cycleDeadline, "cycleDeadline");
        if (historySamples < 3) {
            throw new IllegalArgumentException("historySamples must be >= 3, got " + historySamples);
        }
        if (adminTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("adminTimeout too large: " + adminTimeout);
        }
    }

    /** Settings whose per-cycle deadline is one Admin call's deadline. */
    public KafkaSignalSettings(Duration adminTimeout, Duration topicMetadataTtl, Duration rateWindow, Duration growthWindow,
                               int historySamples, Duration staleAfter) {
        this(adminTimeout, topicMetadataTtl, rateWindow, growthWindow, historySamples, staleAfter, adminTimeout);
    }

    /** The windows and staleness the engine derives offset signals with ({@link BacklogSignals}). */
    public OffsetSettings offsets() {
        return new OffsetSettings(rateWindow, growthWindow, historySamples, staleAfter);
    }

    /** Reads {@code flinkfleet.kafka.*} from a config that already has reference.conf merged in. */
    public static KafkaSignalSettings fromConfig(Config root) {
        Config c = root.getConfig(PATH);
        return new KafkaSignalSettings(
                Settings.duration(c, "admin-timeout", false),
                Settings.duration(c, "topic-metadata-ttl", false),
                Settings.duration(c, "rate-window", false),
                Settings.duration(c, "growth-window", false),
                Settings.intAtLeast(c, "history-samples", 3),
                Settings.duration(c, "stale-after", false),
                Settings.duration(c, "cycle-deadline", false));
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, got " + d);
        }
    }
}

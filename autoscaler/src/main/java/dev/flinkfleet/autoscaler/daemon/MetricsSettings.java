package dev.flinkfleet.autoscaler.daemon;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

import com.typesafe.config.Config;

import dev.flinkfleet.policies.config.Settings;

/**
 * Which jobs get per-job series on {@code /metrics} ({@code flinkfleet.daemon.metrics}). At 30,000 jobs a series
 * per job and signal is tens of megabytes a scrape; by default only the jobs that need attention are exported
 * (see {@link JobAttention}), at most {@code maxJobs} of them, and the fleet aggregates always are.
 *
 * @param allJobs          per-job series for every job (opt-in; small fleets)
 * @param recentlyRescaled how long after a rescale a job keeps its per-job series
 * @param maxJobs          most jobs exported per job in attention mode; the most urgent first
 */
public record MetricsSettings(boolean allJobs, Duration recentlyRescaled, int maxJobs) {

    /** The reference.conf defaults, for tests and benches that build the metrics without a config. */
    public static final MetricsSettings DEFAULTS = new MetricsSettings(false, Duration.ofMinutes(15), 1000);

    public MetricsSettings {
        Objects.requireNonNull(recentlyRescaled, "recentlyRescaled");
        if (maxJobs < 0) {
            throw new IllegalArgumentException("max jobs must be >= 0, got " + maxJobs);
        }
    }

    /** Reads {@code flinkfleet.daemon.metrics} from {@code root}, which must already include reference.conf. */
    public static MetricsSettings fromConfig(Config root) {
        String key = DaemonSettings.ROOT + ".metrics.";
        String perJob = root.getString(key + "per-job").strip().toLowerCase(Locale.ROOT);
        if (!perJob.equals("attention") && !perJob.equals("all")) {
            throw Settings.bad(root, key + "per-job", "must be \"attention\" or \"all\", got \"" + perJob + "\"");
        }
        return new MetricsSettings(perJob.equals("all"), Settings.duration(root, key + "recently-rescaled", true),
                Settings.intAtLeast(root, key + "max-attention-jobs", 0));
    }
}

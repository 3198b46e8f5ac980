package dev.flinkfleet.policies.governor;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.policies.config.SettingsCollector;

/**
 * The governor's rules, one field per key of {@code flinkfleet.governor} in {@code reference.conf} (the docs of
 * each key live there).
 *
 * @param minWorkers                   fewest workers (&gt;= 1)
 * @param maxWorkers                   most workers (&gt;= minWorkers)
 * @param slotsPerWorker               task slots per worker (&gt;= 1)
 * @param respectMaxParallelism        cap the slots at the job's max parallelism
 * @param snapToPartitionDivisor       move the target to a worker count whose slots divide the partitions
 * @param tolerance                    dead-band fraction in [0, 1)
 * @param scaleUpCooldown              least time after any rescale before a scale-up
 * @param scaleDownCooldown            least time after any rescale before a scale-down
 * @param scaleDownStabilizationWindow window of remembered recommendations a scale-down may not go below
 * @param maxStepUpWorkers             most workers added per decision; 0 = no limit
 * @param maxStepDownFraction          largest fraction of the current workers removed per decision, in (0, 1]
 * @param maxSignalAge                 a fresh signal older than this counts as stale
 */
public record GovernorConfig(
        int minWorkers,
        int maxWorkers,
        int slotsPerWorker,
        boolean respectMaxParallelism,
        boolean snapToPartitionDivisor,
        double tolerance,
        Duration scaleUpCooldown,
        Duration scaleDownCooldown,
        Duration scaleDownStabilizationWindow,
        int maxStepUpWorkers,
        double maxStepDownFraction,
        Duration maxSignalAge) {

    /** The path of the defaults in {@code reference.conf}. */
    public static final String PATH = "flinkfleet.governor";

    static final String MIN_WORKERS = "min-workers";
    static final String MAX_WORKERS = "max-workers";
    static final String SLOTS_PER_WORKER = "slots-per-worker";
    static final String RESPECT_MAX_PARALLELISM = "respect-max-parallelism";
    static final String SNAP_TO_PARTITION_DIVISOR = "snap-to-partition-divisor";
    static final String TOLERANCE = "tolerance";
    static final String SCALE_UP_COOLDOWN = "scale-up-cooldown";
    static final String SCALE_DOWN_COOLDOWN = "scale-down-cooldown";
    static final String SCALE_DOWN_STABILIZATION_WINDOW = "scale-down-stabilization-window";
    static final String MAX_STEP_UP_WORKERS = "max-step-up-workers";
    static final String MAX_STEP_DOWN_FRACTION = "max-step-down-fraction";
    static final String MAX_SIGNAL_AGE = "max-signal-age";

    /** Every key of the block; anything else is a typo that would otherwise be silently ignored. */
    public static final Set<String> KEYS = Set.of(MIN_WORKERS, MAX_WORKERS, SLOTS_PER_WORKER, RESPECT_MAX_PARALLELISM,
            SNAP_TO_PARTITION_DIVISOR, TOLERANCE, SCALE_UP_COOLDOWN, SCALE_DOWN_COOLDOWN,
            SCALE_DOWN_STABILIZATION_WINDOW, MAX_STEP_UP_WORKERS, MAX_STEP_DOWN_FRACTION, MAX_SIGNAL_AGE);

    /** Guards programmatic construction; {@link #fromConfig} reports the same problems with the value's origin. */
    public GovernorConfig {
        Objects.requireNonNull(scaleUpCooldown, SCALE_UP_COOLDOWN);
        Objects.requireNonNull(scaleDownCooldown, SCALE_DOWN_COOLDOWN);
        Objects.requireNonNull(scaleDownStabilizationWindow, SCALE_DOWN_STABILIZATION_WINDOW);
        Objects.requireNonNull(maxSignalAge, MAX_SIGNAL_AGE);
        check(minWorkers >= 1, MIN_WORKERS + " must be >= 1, got " + minWorkers);
        check(maxWorkers >= minWorkers, MAX_WORKERS + " must be >= " + MIN_WORKERS + " (" + minWorkers + "), got " + maxWorkers);
        check(slotsPerWorker >= 1, SLOTS_PER_WORKER + " must be >= 1, got " + slotsPerWorker);
        check(tolerance >= 0 && tolerance < 1, TOLERANCE + " must be in [0, 1), got " + tolerance);
        check(!scaleUpCooldown.isNegative(), SCALE_UP_COOLDOWN + " must be >= 0, got " + scaleUpCooldown);
        check(!scaleDownCooldown.isNegative(), SCALE_DOWN_COOLDOWN + " must be >= 0, got " + scaleDownCooldown);
        check(!scaleDownStabilizationWindow.isNegative(), SCALE_DOWN_STABILIZATION_WINDOW + " must be >= 0, got " + scaleDownStabilizationWindow);
        check(maxStepUpWorkers >= 0, MAX_STEP_UP_WORKERS + " must be >= 0, got " + maxStepUpWorkers);
        check(maxStepDownFraction > 0 && maxStepDownFraction <= 1, MAX_STEP_DOWN_FRACTION + " must be in (0, 1], got " + maxStepDownFraction);
        check(!maxSignalAge.isNegative(), MAX_SIGNAL_AGE + " must be >= 0, got " + maxSignalAge);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("governor: " + message);
        }
    }

    /**
     * Reads a {@code flinkfleet.governor} block that is already merged over the reference defaults. Every
     * failure (wrong type, out of range, unknown key) is a {@link com.typesafe.config.ConfigException} naming the
     * key and the file and line it came from.
     */
    public static GovernorConfig fromConfig(Config c) {
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
        if (tolerance >= 1) {
            r.fail(TOLERANCE, "must be a fraction in [0, 1), got " + tolerance);
        }
        if (r.allRead(MIN_WORKERS, MAX_WORKERS) && max < min) {
            r.fail(MAX_WORKERS, "must be >= " + MIN_WORKERS + " (" + min + "), got " + max);
        }
        r.throwIfAny();
        return new GovernorConfig(min, max, slots, respect, snap, tolerance, upCooldown, downCooldown, window,
                stepUp, stepDown, maxAge);
    }

    /** The reference defaults. */
    public static GovernorConfig defaults() {
        return fromConfig(ConfigFactory.defaultReference().getConfig(PATH));
    }
}

package dev.flinkfleet.policies.governor;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The governor's rules, one field per key of {@code flinkfleet.governor} in {@code reference.conf} (the docs of
 * each key live there). Read from a config file by {@link dev.flinkfleet.policies.config.GovernorSettings}, which
 * lives with the other readers so the governor does not depend on the config package.
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
 * @param excludedPeriods              windows in which no scale-down happens
 * @param fallbackWorkers              workers a job is raised to once its signals have been missing for
 *                                     fallbackAfter; 0 = off. Only ever raises (missing data never scales down)
 * @param fallbackAfter                how long the signals must have been missing before the fallback
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
        Duration maxSignalAge,
        ExcludedPeriods excludedPeriods,
        int fallbackWorkers,
        Duration fallbackAfter) {

    /** The path of the defaults in {@code reference.conf}. */
    public static final String PATH = "flinkfleet.governor";

    public static final String MIN_WORKERS = "min-workers";
    public static final String MAX_WORKERS = "max-workers";
    public static final String SLOTS_PER_WORKER = "slots-per-worker";
    public static final String RESPECT_MAX_PARALLELISM = "respect-max-parallelism";
    public static final String SNAP_TO_PARTITION_DIVISOR = "snap-to-partition-divisor";
    public static final String TOLERANCE = "tolerance";
    public static final String SCALE_UP_COOLDOWN = "scale-up-cooldown";
    public static final String SCALE_DOWN_COOLDOWN = "scale-down-cooldown";
    public static final String SCALE_DOWN_STABILIZATION_WINDOW = "scale-down-stabilization-window";
    public static final String MAX_STEP_UP_WORKERS = "max-step-up-workers";
    public static final String MAX_STEP_DOWN_FRACTION = "max-step-down-fraction";
    public static final String MAX_SIGNAL_AGE = "max-signal-age";
    public static final String EXCLUDED_PERIODS = "excluded-periods";
    public static final String EXCLUDED_PERIODS_TIME_ZONE = "excluded-periods-time-zone";
    public static final String FALLBACK_WORKERS = "fallback-workers";
    public static final String FALLBACK_AFTER = "fallback-after";

    /** Every key of the block; anything else is a typo that would otherwise be silently ignored. */
    public static final Set<String> KEYS = Set.of(MIN_WORKERS, MAX_WORKERS, SLOTS_PER_WORKER, RESPECT_MAX_PARALLELISM,
            SNAP_TO_PARTITION_DIVISOR, TOLERANCE, SCALE_UP_COOLDOWN, SCALE_DOWN_COOLDOWN,
            SCALE_DOWN_STABILIZATION_WINDOW, MAX_STEP_UP_WORKERS, MAX_STEP_DOWN_FRACTION, MAX_SIGNAL_AGE,
            EXCLUDED_PERIODS, EXCLUDED_PERIODS_TIME_ZONE, FALLBACK_WORKERS, FALLBACK_AFTER);

    /** Guards programmatic construction; {@code GovernorSettings.read} reports the same problems with the value's origin. */
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
        Objects.requireNonNull(excludedPeriods, EXCLUDED_PERIODS);
        Objects.requireNonNull(fallbackAfter, FALLBACK_AFTER);
        check(fallbackWorkers >= 0, FALLBACK_WORKERS + " must be >= 0, got " + fallbackWorkers);
        check(!fallbackAfter.isNegative() && !fallbackAfter.isZero(), FALLBACK_AFTER + " must be > 0, got " + fallbackAfter);
    }

    /** Without excluded periods or fallback (their reference defaults). */
    public GovernorConfig(int minWorkers, int maxWorkers, int slotsPerWorker, boolean respectMaxParallelism, boolean snapToPartitionDivisor,
                          double tolerance, Duration scaleUpCooldown, Duration scaleDownCooldown, Duration scaleDownStabilizationWindow,
                          int maxStepUpWorkers, double maxStepDownFraction, Duration maxSignalAge) {
        this(minWorkers, maxWorkers, slotsPerWorker, respectMaxParallelism, snapToPartitionDivisor, tolerance, scaleUpCooldown,
                scaleDownCooldown, scaleDownStabilizationWindow, maxStepUpWorkers, maxStepDownFraction, maxSignalAge,
                ExcludedPeriods.NONE, 0, Duration.ofMinutes(15));
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("governor: " + message);
        }
    }
}

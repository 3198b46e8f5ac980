package dev.flinkfleet.policies.governor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.flinkfleet.policies.Adjustment;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.Explanation;
import dev.flinkfleet.policies.Governor;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/**
 * The governor: a fixed chain of small rules between a policy's recommendation and the decision, in this order
 * (modelled on the Kubernetes HPA's behaviours):
 * <ol>
 * <li>signal quality: the worst over the policy's required signals; a fresh one older than max-signal-age is stale;</li>
 * <li>bounds: max parallelism, then max-workers, then min-workers (an explicit minimum wins);</li>
 * <li>optional snap to a worker count whose slots divide the partition count;</li>
 * <li>the bounded target is remembered for the stabilisation window;</li>
 * <li>no scale-down on stale or missing signals; an insufficient-signals recommendation always holds;</li>
 * <li>tolerance dead-band;</li>
 * <li>scale-down stabilisation to the highest remembered recommendation;</li>
 * <li>no scale-down inside an excluded period;</li>
 * <li>fallback: a job whose needed signals have been missing for fallback-after is raised (never lowered) to
 * fallback-workers;</li>
 * <li>cooldowns from the last rescale in either direction;</li>
 * <li>step limits.</li>
 * </ol>
 * Every rule that moves or holds the target adds an {@link Adjustment}; the last one names the decision.
 * Pure and thread-safe: time is {@code now}, memory is the {@link GovernorState} passed in and handed back.
 */
public final class DefaultGovernor implements Governor {

    /** Absorbs floating error in current × fraction (100 × 0.29 is 28.999999999999996, meant as 29). */
    private static final double EPSILON = 1e-9;

    private final GovernorConfig config;

    public DefaultGovernor(GovernorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public GovernorConfig config() {
        return config;
    }

    @Override
    public Decision decide(Signals signals, Recommendation recommendation, ScalingPolicy policy, GovernorState state, Instant now) {
        Objects.requireNonNull(signals, "signals");
        Objects.requireNonNull(recommendation, "recommendation");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(now, "now");

        int current = signals.currentWorkers();
        Quality quality = signalQuality(signals, policy);
        Draft d = new Draft(recommendation.targetWorkers());

        int upper = upperBound(signals);
        applyBounds(d, signals);
        snapToDivisor(d, signals, current, upper);
        GovernorState next = state.withSample(now, d.target, config.scaleDownStabilizationWindow())
                .withSignalsMissing(quality == Quality.MISSING, now);
        holdOnBadSignals(d, recommendation, quality, current);
        holdInsideTolerance(d, current, upper);
        stabilizeScaleDown(d, next, current);
        holdInExcludedPeriod(d, current, now);
        raiseToFallback(d, next, current, upper, now);
        holdInCooldown(d, state, current, now);
        limitStep(d, current);

        ReasonCode reason = d.adjustments.isEmpty()
                ? recommendation.reason()
                : d.adjustments.get(d.adjustments.size() - 1).code();
        return new Decision(signals.job(), now, current, d.target, recommendation, reason, d.adjustments, quality, next);
    }

    /** The target being worked on and the rules that moved it. */
    private static final class Draft {
        int target;
        /** Most decisions change nothing; the list is made on the first move. */
        List<Adjustment> adjustments = List.of();

        Draft(int target) {
            this.target = target;
        }

        /** Records the rule; {@code why} is rendered only if someone reads the adjustment. */
        void move(ReasonCode code, int to, Explanation why) {
            if (adjustments.isEmpty()) {
                adjustments = new ArrayList<>(4);
            }
            adjustments.add(new Adjustment(code, target, to, why));
            target = to;
        }
    }

    // 1. Worst quality over the required signals; the source's "fresh" is not trusted past max-signal-age.
    Quality signalQuality(Signals signals, ScalingPolicy policy) {
        double maxAgeSeconds = config.maxSignalAge().toNanos() / 1e9;
        Quality worst = Quality.FRESH;
        for (SignalKind k : policy.requiredSignals()) {
            Measurement m = signals.get(k);
            Quality q = m.quality();
            if (q == Quality.FRESH && m.ageSeconds() > maxAgeSeconds) {
                q = Quality.STALE;
            }
            if (q.ordinal() > worst.ordinal()) {
                worst = q;
            }
        }
        return worst;
    }

    /** Most workers whose slots the job can use: floor(maxParallelism / slots), at least 1; 0 = no such cap. */
    int parallelismCap(Signals signals) {
        if (!config.respectMaxParallelism() || signals.maxParallelism() <= 0) {
            return 0;
        }
        return Math.max(1, signals.maxParallelism() / config.slotsPerWorker());
    }

    /** The highest target the bounds allow (the minimum wins over every cap). */
    int upperBound(Signals signals) {
        int cap = parallelismCap(signals);
        int upper = cap > 0 ? Math.min(cap, config.maxWorkers()) : config.maxWorkers();
        return Math.max(config.minWorkers(), upper);
    }

    // 2. Bounds.
    private void applyBounds(Draft d, Signals signals) {
        int cap = parallelismCap(signals);
        if (cap > 0 && d.target > cap) {
            int maxParallelism = signals.maxParallelism();
            int slots = config.slotsPerWorker();
            d.move(ReasonCode.CAPPED_PARALLELISM, cap, () -> "max parallelism " + maxParallelism + " / "
                    + slots + " slots per worker allows at most " + cap + " workers");
        }
        if (d.target > config.maxWorkers()) {
            int max = config.maxWorkers();
            d.move(ReasonCode.CAPPED_MAX, max, () -> "max-workers is " + max);
        }
        if (d.target < config.minWorkers()) {
            int min = config.minWorkers();
            d.move(ReasonCode.CAPPED_MIN, min, () -> "min-workers is " + min);
        }
    }

    // 3. Snap away from the current size to the nearest worker count whose slots divide the partitions.
    private void snapToDivisor(Draft d, Signals signals, int current, int upper) {
        int partitions = signals.maxParallelism();
        if (!config.snapToPartitionDivisor() || partitions <= 0 || d.target == current) {
            return;
        }
        int step = d.target > current ? 1 : -1;
        int limit = step > 0 ? upper : config.minWorkers();
        for (int w = d.target; step > 0 ? w <= limit : w >= limit; w += step) {
            if (partitions % ((long) w * config.slotsPerWorker()) == 0) {
                if (w != d.target) {
                    int workers = w;
                    int slots = config.slotsPerWorker();
                    d.move(ReasonCode.SNAPPED_DIVISOR, w, () -> workers + " workers × " + slots
                            + " slots divide " + partitions + " partitions evenly");
                }
                return;
            }
        }
        // No divisor inside the bounds in that direction: keep the unsnapped target.
    }

    // 5. Missing data never scales down (degraded data may scale up); a policy that could not compute holds.
    private static void holdOnBadSignals(Draft d, Recommendation rec, Quality quality, int current) {
        if (d.target == current) {
            return;
        }
        if (rec.reason() == ReasonCode.HOLD_INSUFFICIENT_SIGNALS) {
            d.move(ReasonCode.HOLD_INSUFFICIENT_SIGNALS, current, () -> "the policy could not compute a target: " + rec.explanation());
        } else if (d.target < current && quality != Quality.FRESH) {
            d.move(ReasonCode.HOLD_STALE_SIGNALS, current, () -> "a required signal is " + quality + "; scale-down needs fresh signals");
        }
    }

    // 6. Dead-band. Skipped while the current size is outside the bounds, so bounds are always restored.
    private void holdInsideTolerance(Draft d, int current, int upper) {
        if (d.target == current || current < config.minWorkers() || current > upper) {
            return;
        }
        double change = Math.abs(d.target - current) / (double) current;
        if (change <= config.tolerance()) {
            double tolerance = config.tolerance();
            d.move(ReasonCode.HOLD_TOLERANCE, current, () -> String.format(java.util.Locale.ROOT,
                    "change of %.1f%% is within the tolerance of %.1f%%", change * 100, tolerance * 100));
        }
    }

    // 7. A scale-down goes no lower than the highest recommendation in the window (this one included).
    private void stabilizeScaleDown(Draft d, GovernorState next, int current) {
        if (d.target >= current) {
            return;
        }
        int highest = d.target;
        for (GovernorState.Sample s : next.history()) {
            highest = Math.max(highest, s.target());
        }
        long windowSeconds = config.scaleDownStabilizationWindow().toSeconds();
        int top = highest;
        Explanation why = () -> "highest recommendation in the last " + windowSeconds + "s was " + top;
        if (highest >= current) {
            d.move(ReasonCode.HOLD_STABILIZATION, current, why);
        } else if (highest > d.target) {
            d.move(ReasonCode.SCALE_DOWN_STABILIZED, highest, why);
        }
    }

    // 7b. Excluded periods forbid scale-downs only: a scale-up inside one still protects the job's latency.
    private void holdInExcludedPeriod(Draft d, int current, Instant now) {
        if (d.target >= current || config.excludedPeriods().isEmpty()) {
            return;
        }
        config.excludedPeriods().covering(now).ifPresent(period -> {
            String zone = config.excludedPeriods().zone().getId();
            d.move(ReasonCode.HOLD_EXCLUDED_PERIOD, current, () -> "now (" + now + ") is inside the excluded period '" + period
                    + "' (" + zone + "); no scale-down until it ends");
        });
    }

    /**
     * 7c. Fallback: once the signals the policy needs have been missing for fallback-after without a break, the job is
     * raised to fallback-workers (within the bounds). It only raises: a job at or above it stays where it is, because
     * missing data never causes a scale-down.
     */
    private void raiseToFallback(Draft d, GovernorState next, int current, int upper, Instant now) {
        Instant since = next.missingSince();
        if (config.fallbackWorkers() <= 0 || since == null || now.isBefore(since.plus(config.fallbackAfter()))) {
            return;
        }
        int floor = Math.max(config.minWorkers(), Math.min(config.fallbackWorkers(), upper));
        if (floor > current && d.target < floor) {
            long minutes = Duration.between(since, now).toMinutes();
            int fallback = config.fallbackWorkers();
            d.move(ReasonCode.SCALE_UP_FALLBACK, floor, () -> "signals the policy needs have been missing since " + since + " (" + minutes
                    + " min, fallback-after " + config.fallbackAfter().toMinutes() + " min); raised to fallback-workers " + fallback
                    + (floor < fallback ? " capped at " + floor : "") + " (fallback never lowers a job)");
        }
    }

    /**
     * 8. Cooldowns run from the last rescale in either direction (a rescale restarts the job, whichever way).
     * A last rescale in the future of {@code now} (clock skew after a restart, or a state written by another
     * host) counts as an active cooldown until last + cooldown: a skewed clock may delay a rescale, never hasten one.
     */
    private void holdInCooldown(Draft d, GovernorState state, int current, Instant now) {
        Instant last = state.lastScaleAt();
        if (d.target == current || last == null) {
            return;
        }
        Duration cooldown = d.target > current ? config.scaleUpCooldown() : config.scaleDownCooldown();
        Instant ends = last.plus(cooldown);
        if (now.isBefore(ends)) {
            String direction = d.target > current ? "scale-up" : "scale-down";
            Explanation why = () -> last.isAfter(now)
                    ? "last rescale at " + last + " is after now " + now + " (clock skew?); " + direction + " cooldown held until " + ends
                    : direction + " cooldown of " + cooldown.toSeconds() + "s since the rescale at " + last + " runs until " + ends;
            d.move(ReasonCode.HOLD_COOLDOWN, current, why);
        }
    }

    /**
     * 9. Step limits. A scale-down may always remove at least one worker, even when current × fraction &lt; 1;
     * otherwise a small job (e.g. 1 &lt; current &lt; 1 / fraction) could never shrink.
     */
    private void limitStep(Draft d, int current) {
        if (d.target > current) {
            int maxUp = config.maxStepUpWorkers();
            if (maxUp > 0 && d.target - current > maxUp) {
                d.move(ReasonCode.CAPPED_STEP_UP, current + maxUp, () -> "at most " + maxUp + " workers added per decision");
            }
        } else if (d.target < current) {
            int maxRemove = maxRemovable(current);
            if (current - d.target > maxRemove) {
                double fraction = config.maxStepDownFraction();
                d.move(ReasonCode.CAPPED_STEP_DOWN, current - maxRemove, () -> "at most " + maxRemove + " of " + current
                        + " workers removed per decision (max-step-down-fraction " + fraction + ")");
            }
        }
    }

    /** Workers one decision may remove from {@code current}: floor(current × fraction), at least 1. */
    int maxRemovable(int current) {
        return Math.max(1, (int) Math.floor(current * config.maxStepDownFraction() + EPSILON));
    }
}

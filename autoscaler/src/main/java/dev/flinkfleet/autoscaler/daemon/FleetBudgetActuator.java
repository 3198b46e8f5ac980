package dev.flinkfleet.autoscaler.daemon;

import java.time.Duration;
import java.util.Objects;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.ReasonCode;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

/**
 * Caps rescales across the whole fleet: at most N per period, so a fleet-wide surge or a bad deploy cannot
 * restart thousands of jobs at once. The control loop hands decisions over most urgent first, so the budget
 * goes to starving jobs; the rest are skipped with {@link ReasonCode#HOLD_BUDGET} and decided again next cycle.
 */
public final class FleetBudgetActuator implements Actuator {

    private final Actuator delegate;
    private final RateLimiter limiter;

    public FleetBudgetActuator(Actuator delegate, int rescalesPerPeriod, Duration period) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (rescalesPerPeriod < 1) {
            throw new IllegalArgumentException("fleet rescale budget must be >= 1 per period, got " + rescalesPerPeriod);
        }
        this.limiter = RateLimiter.of("fleet-rescales", RateLimiterConfig.custom()
                .limitForPeriod(rescalesPerPeriod)
                .limitRefreshPeriod(period)
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    @Override
    public Result apply(Decision decision) throws Exception {
        if (limiter.getMetrics().getAvailablePermissions() <= 0) {
            return Result.skipped(ReasonCode.HOLD_BUDGET,
                    "fleet rescale budget of " + limiter.getRateLimiterConfig().getLimitForPeriod() + " per "
                            + limiter.getRateLimiterConfig().getLimitRefreshPeriod() + " used up");
        }
        Result r = delegate.apply(decision);
        if (r != null && r.applied()) {
            // Only a rescale that happened spends the budget: a job the actuator held (unsafe state, conflict,
            // paused, dry run) must not starve the others. The loop actuates on one thread, so checking first and
            // spending after cannot overshoot.
            limiter.acquirePermission();
        }
        return r;
    }

    /** Permits left in the current period (for /jobs and logs). */
    public int remaining() {
        return limiter.getMetrics().getAvailablePermissions();
    }
}

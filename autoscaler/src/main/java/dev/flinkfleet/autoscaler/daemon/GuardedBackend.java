package dev.flinkfleet.autoscaler.daemon;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import dev.flinkfleet.autoscaler.kafka.KafkaUnreachableException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

/**
 * One signal backend (a Kafka cluster, Prometheus) behind a circuit breaker and a retry with jittered
 * exponential backoff. The per-call timeout lives in the clients themselves (Admin call deadlines, the HTTP
 * client's request timeout), so a hung backend costs at most timeout × attempts per cycle, and once the breaker
 * opens it costs nothing until the breaker lets a probe through. A failed call marks that backend's signals
 * missing for the cycle; the governor then holds (never scales down).
 */
public final class GuardedBackend {

    private final String name;
    private final CircuitBreaker breaker;
    private final Retry retry;
    private final DaemonMetrics metrics;

    public GuardedBackend(String name, int attempts, Duration firstBackoff, Duration openFor, DaemonMetrics metrics, Clock clock) {
        this.name = name;
        this.metrics = metrics;
        this.breaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(6)
                .minimumNumberOfCalls(3)
                .failureRateThreshold(50)
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(1)
                // Open-state time on the daemon's clock, as every other time-based limiter.
                .clock(clock)
                .build());
        this.retry = Retry.of(name, RetryConfig.custom()
                .maxAttempts(attempts)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(firstBackoff, 2.0, 0.5))
                .ignoreExceptions(CallNotPermittedException.class)
                // A read that waited out the cycle's deadline has no time left to retry in.
                .retryOnException(e -> !(e instanceof KafkaUnreachableException k && k.deadlineSpent()))
                .build());
        if (metrics != null) {
            metrics.circuitBreaker(name, breaker::getState);
        }
    }

    public String name() {
        return name;
    }

    /** Runs {@code call} guarded; rethrows the last failure (or {@link CallNotPermittedException} when open). */
    public <T> T call(Supplier<T> call) {
        Supplier<T> guarded = Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, call));
        try {
            return guarded.get();
        } catch (RuntimeException e) {
            if (metrics != null) {
                metrics.backendError(name);
            }
            throw e;
        }
    }

    public CircuitBreaker.State state() {
        return breaker.getState();
    }
}

package dev.flinkfleet.autoscaler.daemon;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.JobPlan;

/** Passes every call on and adds up the time and number of calls since the last {@link #reset()} ({@link CycleTimings}). */
final class TimedActuator implements Actuator {

    private final Actuator delegate;
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger calls = new AtomicInteger();

    TimedActuator(Actuator delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public Result apply(Decision decision) throws Exception {
        long t0 = System.nanoTime();
        try {
            return delegate.apply(decision);
        } finally {
            nanos.addAndGet(System.nanoTime() - t0);
            calls.incrementAndGet();
        }
    }

    @Override
    public Result apply(JobPlan plan, Decision decision) throws Exception {
        long t0 = System.nanoTime();
        try {
            return delegate.apply(plan, decision);
        } finally {
            nanos.addAndGet(System.nanoTime() - t0);
            calls.incrementAndGet();
        }
    }

    void reset() {
        nanos.set(0);
        calls.set(0);
    }

    long nanos() {
        return nanos.get();
    }

    int calls() {
        return calls.get();
    }
}

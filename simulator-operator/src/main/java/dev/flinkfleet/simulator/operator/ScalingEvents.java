package dev.flinkfleet.simulator.operator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.apache.flink.autoscaler.JobAutoScalerContext;
import org.apache.flink.autoscaler.event.AutoScalerEventHandler;

/**
 * Keeps the library's most recent events (its scaling reports and warnings) with their simulated time: what the
 * operator would have posted as Kubernetes events. Bounded; an error event fails the replay, since the library
 * then makes no decision and the baseline's figures would mean nothing.
 */
final class ScalingEvents implements AutoScalerEventHandler<String, JobAutoScalerContext<String>> {

    /** Events kept per job. */
    static final int KEPT = 50;

    /** One event as the operator would post it. */
    record Event(Instant at, Type type, String reason, String message) {
    }

    private final Clock clock;
    private final Deque<Event> recent = new ArrayDeque<>();

    ScalingEvents(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void handleEvent(JobAutoScalerContext<String> context, Type type, String reason, String message,
                            String messageKey, Duration interval) {
        if (recent.size() == KEPT) {
            recent.removeFirst();
        }
        recent.addLast(new Event(clock.instant(), type, reason, message));
    }

    @Override
    public void handleException(JobAutoScalerContext<String> context, String reason, Throwable e) {
        throw new IllegalStateException("flink-operator-autoscaler failed on job " + context.getJobKey() + " at "
                + clock.instant() + ": " + e, e);
    }

    List<Event> recent() {
        return List.copyOf(recent);
    }
}

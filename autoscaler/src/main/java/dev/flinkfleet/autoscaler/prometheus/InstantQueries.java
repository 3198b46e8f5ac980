package dev.flinkfleet.autoscaler.prometheus;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The one call the signal reader needs, so it can be tested with a hand-written fake. The future fails with a
 * {@link PrometheusException}.
 */
public interface InstantQueries {

    /** Evaluates {@code promql} at {@code time} (an instant query). */
    CompletableFuture<List<InstantSeries>> queryAsync(String promql, Instant time);
}

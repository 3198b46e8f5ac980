package dev.flinkfleet.autoscaler.daemon;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.JobOutcome;

/**
 * The daemon's listeners of every cycle, the built-in ones first, then any {@linkplain #add added} later (the
 * demo, tests). Calls every one; one that throws is logged and does not stop the others.
 */
final class CycleListeners implements CycleListener {

    private static final Logger LOG = LoggerFactory.getLogger(CycleListeners.class);

    private final List<CycleListener> fixed;
    private final List<CycleListener> extra = new CopyOnWriteArrayList<>();

    CycleListeners(List<CycleListener> fixed) {
        this.fixed = List.copyOf(fixed);
    }

    void add(CycleListener l) {
        extra.add(Objects.requireNonNull(l, "listener"));
    }

    @Override
    public void onJob(JobOutcome o) {
        each(l -> l.onJob(o));
    }

    @Override
    public void onSourceFailure(Instant now, Exception error) {
        each(l -> l.onSourceFailure(now, error));
    }

    @Override
    public void onCycle(Instant now, List<JobOutcome> outcomes) {
        each(l -> l.onCycle(now, outcomes));
    }

    private void each(Consumer<CycleListener> call) {
        for (List<CycleListener> list : List.of(fixed, extra)) {
            for (CycleListener l : list) {
                try {
                    call.accept(l);
                } catch (RuntimeException e) {
                    LOG.warn("cycle listener {} failed: {}", l.getClass().getSimpleName(), e.toString());
                }
            }
        }
    }
}

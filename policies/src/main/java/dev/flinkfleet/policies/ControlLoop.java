package dev.flinkfleet.policies;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One control cycle over many jobs: collect, recommend, govern, actuate, remember. Reads {@code now} once per
 * cycle from the injected clock and hands it down. A failure in one job holds that job and never stops the
 * others. Decisions are actuated most urgent first, so a rate-limited actuator serves starving jobs before idle
 * ones. The daemon and the simulator both drive this class.
 */
public final class ControlLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ControlLoop.class);

    private final Clock clock;
    private final SignalSource source;
    private final Actuator actuator;
    private final StateStore stateStore;
    private final CycleListener listener;

    public ControlLoop(Clock clock, SignalSource source, Actuator actuator, StateStore stateStore, CycleListener listener) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.source = Objects.requireNonNull(source, "source");
        this.actuator = Objects.requireNonNull(actuator, "actuator");
        this.stateStore = Objects.requireNonNull(stateStore, "stateStore");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Runs one cycle over {@code plans} and returns one outcome per plan, in the order given. */
    public List<JobOutcome> runCycle(List<JobPlan> plans) {
        Instant now = clock.instant();
        Map<JobRef, Signals> signals;
        try {
            signals = source.collect(plans, now);
        } catch (Exception e) {
            // Nothing is known this cycle: hold everything, change nothing.
            LOG.warn("signal source failed; holding all {} jobs this cycle: {}", plans.size(), e.toString());
            listener.onSourceFailure(now, e);
            List<JobOutcome> held = new ArrayList<>(plans.size());
            for (JobPlan p : plans) {
                JobOutcome o = new JobOutcome(p, null, null, null, e);
                held.add(o);
                listener.onJob(o);
            }
            listener.onCycle(now, held);
            return held;
        }

        // Phase 1: decide every job. Pure apart from the state store read.
        JobOutcome[] outcomes = new JobOutcome[plans.size()];
        List<Integer> toApply = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            JobPlan plan = plans.get(i);
            Signals s = signals.get(plan.job());
            try {
                if (s == null) {
                    throw new IllegalStateException("signal source returned nothing for " + plan.job());
                }
                // The capacity and traffic samples are folded in before recommending, so the policy sizes with what
                // it just saw.
                GovernorState state = TrafficProfile.learn(RememberedCapacity.learn(stateStore.load(plan.job()), s, now), s, now);
                Recommendation rec = plan.policy().recommend(s, PolicyContext.of(state));
                Decision d = plan.governor().decide(s, rec, plan.policy(), state, now);
                outcomes[i] = new JobOutcome(plan, s, d, null, null);
                if (d.changes()) {
                    toApply.add(i);
                } else {
                    stateStore.save(plan.job(), d.stateAfter(false));
                }
            } catch (Exception e) {
                // The job goes into the MDC only here: deciding logs nothing else, and building the key for
                // every job of every cycle cost more than the decision itself.
                MDC.put("job", plan.job().toString());
                try {
                    LOG.warn("deciding {} failed; holding it: {}", plan.job(), e.toString());
                } finally {
                    MDC.remove("job");
                }
                outcomes[i] = new JobOutcome(plan, s, null, null, e);
            }
        }

        // Phase 2: actuate, most urgent first.
        if (toApply.size() > 1) {
            toApply.sort(Comparator.comparingDouble((Integer i) -> -outcomes[i].decision().urgency())
                    .thenComparing(i -> plans.get(i).job()));
        }
        for (int i : toApply) {
            JobOutcome o = outcomes[i];
            Decision d = o.decision();
            MDC.put("job", d.job().toString());
            try {
                Actuator.Result r = actuator.apply(o.plan(), d);
                if (r == null) {
                    throw new IllegalStateException("actuator returned no result");
                }
                stateStore.save(d.job(), d.stateAfter(r.applied()));
                outcomes[i] = new JobOutcome(o.plan(), o.signals(), d, r, null);
            } catch (Exception e) {
                LOG.warn("actuating {} failed: {}", d.job(), e.toString());
                outcomes[i] = new JobOutcome(o.plan(), o.signals(), d, new Actuator.Result(Actuator.Outcome.FAILED, ReasonCode.HOLD_ERROR, e.toString()), e);
            } finally {
                MDC.remove("job");
            }
        }

        List<JobOutcome> result = List.of(outcomes);
        for (JobOutcome o : result) {
            listener.onJob(o);
        }
        listener.onCycle(now, result);
        return result;
    }
}

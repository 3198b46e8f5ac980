package dev.flinkfleet.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.ControlLoop;
import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.FleetBudget;
import dev.flinkfleet.policies.FleetBudgetActuator;
import dev.flinkfleet.policies.Governor;
import dev.flinkfleet.policies.InMemoryStateStore;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobPlan;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalSource;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.policies.governor.PausedGovernor;

/**
 * A user policy and governor, run through the daemon's own {@link ControlLoop} on the simulated clock, with the
 * simulated signal sources and recording actuators behind the loop's interfaces. A fleet runs through one loop
 * behind the daemon's {@link FleetBudgetActuator}, so its jobs are actuated most urgent first within one budget,
 * and a paused job is governed by the daemon's {@link PausedGovernor}.
 *
 * @param name     name in summary.json (the application or policy name)
 * @param policy   the real policy instance
 * @param governor the real governor instance
 * @param listener observes every cycle (tests, decision logs); {@link CycleListener#NONE} by default
 */
public record PolicyStrategy(String name, ScalingPolicy policy, Governor governor, CycleListener listener) implements Strategy {

    public PolicyStrategy(String name, ScalingPolicy policy, Governor governor) {
        this(name, policy, governor, CycleListener.NONE);
    }

    @Override
    public Controller start(SimContext ctx) {
        FleetController fleet = startFleet(List.of(ctx), FleetSettings.UNLIMITED);
        int[] only = {0};
        long[] steps = new long[1];
        return (c, step) -> {
            steps[0] = step;
            fleet.control(only, 1, steps);
        };
    }

    @Override
    public FleetController startFleet(List<SimContext> jobs, FleetSettings fleet) {
        SimClock clock = jobs.get(0).clock();
        Map<JobRef, Integer> index = new HashMap<>();
        Map<JobRef, RecordingActuator> actuators = new HashMap<>();
        JobPlan[] plans = new JobPlan[jobs.size()];
        for (int j = 0; j < plans.length; j++) {
            SimContext c = jobs.get(j);
            JobRef job = c.setup().job();
            index.put(job, j);
            actuators.put(job, new RecordingActuator(c.fluid()));
            // A paused job is decided every tick and never resized, as the daemon's.
            plans[j] = new JobPlan(job, name, policy, fleet.paused(c.setup()) ? new PausedGovernor(governor) : governor);
        }
        SignalSource source = new SignalSource() {
            @Override
            public Map<JobRef, Signals> collect(Collection<JobRef> refs, Instant now) {
                Map<JobRef, Signals> out = new HashMap<>(refs.size() * 2);
                for (JobRef job : refs) {
                    out.putAll(jobs.get(index.get(job)).signals().collect(List.of(job), now));
                }
                return out;
            }
        };
        Actuator actuator = d -> actuators.get(d.job()).apply(d);
        if (fleet.maxRescalesPerMinute() > 0) {
            actuator = new FleetBudgetActuator(actuator, new FleetBudget(fleet.maxRescalesPerMinute(), Duration.ofMinutes(1), clock));
        }
        int[] holds = new int[plans.length];
        CycleListener counting = new CycleListener() {
            @Override
            public void onJob(JobOutcome o) {
                if (o.result() != null && o.result().reason() == ReasonCode.HOLD_BUDGET) {
                    holds[index.get(o.plan().job())]++;
                }
                listener.onJob(o);
            }

            @Override
            public void onSourceFailure(Instant now, Exception error) {
                listener.onSourceFailure(now, error);
            }

            @Override
            public void onCycle(Instant now, List<JobOutcome> outcomes) {
                listener.onCycle(now, outcomes);
            }
        };
        ControlLoop loop = new ControlLoop(clock, source, actuator, new InMemoryStateStore(), counting);
        return new FleetController() {
            @Override
            public void control(int[] due, int count, long[] steps) {
                List<JobPlan> cycle = new ArrayList<>(count);
                for (int k = 0; k < count; k++) {
                    cycle.add(plans[due[k]]);
                }
                loop.runCycle(cycle);
            }

            @Override
            public int budgetHolds(int job) {
                return holds[job];
            }
        };
    }
}

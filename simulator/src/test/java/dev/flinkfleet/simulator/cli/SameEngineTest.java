package dev.flinkfleet.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.governor.DefaultGovernor;
import dev.flinkfleet.simulator.PolicyStrategy;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.Simulation;
import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.model.JobModelFile;
import dev.flinkfleet.simulator.trace.Trace;

/** The simulator runs the daemon's engine: policies from the PolicyRegistry, the DefaultGovernor, the ControlLoop. */
class SameEngineTest {

    record Case(String name) {
    }

    static Stream<Case> builtIns() {
        return PolicyRegistry.builtIn().all().keySet().stream().map(Case::new);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builtIns")
    void replaysTheRegistrysPolicyAndTheDefaultGovernorThroughTheControlLoop(Case c) {
        Strategy s = Policies.loader().defaults(c.name());
        PolicyStrategy ps = assertInstanceOf(PolicyStrategy.class, s);
        Class<?> daemonPolicy = PolicyRegistry.builtIn().get(c.name())
                .create(ConfigFactory.defaultReference().getConfig("flinkfleet.policies." + c.name())).getClass();
        assertSame(daemonPolicy, ps.policy().getClass());
        assertInstanceOf(DefaultGovernor.class, ps.governor());

        // Only ControlLoop.runCycle calls a CycleListener: every control tick must arrive here with these instances.
        List<JobOutcome> seen = new ArrayList<>();
        CycleListener listener = new CycleListener() {
            @Override
            public void onJob(JobOutcome o) {
                seen.add(o);
            }
        };
        double[] rates = new double[240];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = i < 120 ? 1 : 3;
        }
        Trace t = new Trace("j", "j.csv", Instant.parse("2024-01-01T00:00:00Z"), 60, rates);
        SimContext.Setup setup = SimContext.Setup.of(t, JobModelFile.defaults().modelFor("j.csv"));
        Simulation.run(setup, new PolicyStrategy(ps.name(), ps.policy(), ps.governor(), listener), 0);
        assertEquals(setup.steps() / setup.controlSteps() - 1, seen.size());
        for (JobOutcome o : seen) {
            assertSame(ps.policy(), o.plan().policy());
            assertSame(ps.governor(), o.plan().governor());
            assertTrue(o.error() == null, () -> String.valueOf(o.error()));
        }
    }
}

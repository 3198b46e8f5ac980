package dev.flinkfleet.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.config.GovernorSettings;
import dev.flinkfleet.policies.governor.DefaultGovernor;
import dev.flinkfleet.simulator.baselines.StaticPeak;
import dev.flinkfleet.simulator.model.JobModelFile;
import dev.flinkfleet.simulator.report.Summary;
import dev.flinkfleet.simulator.trace.Trace;
import dev.flinkfleet.simulator.trace.TraceReader;

/**
 * Issue 10's idle defect: on a sparse trace every rate policy climbed to its peak on the first burst and then held
 * there, because a job processing nothing gave no capacity estimate. With the capacity remembered from the burst,
 * each goes back to its minimum once the input and backlog are gone.
 */
class SparseTraceTest {

    static final String TRACE = "/traces/sparse_bursts.csv";

    static Trace trace;
    static SimContext.Setup setup;
    static double staticPeakRatio;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = SparseTraceTest.class.getResourceAsStream(TRACE)) {
            trace = TraceReader.parse("sparse_bursts.csv", "classpath:" + TRACE, new BufferedInputStream(in));
        }
        setup = Fleet.setups(List.of(trace), JobModelFile.defaults()).get(0);
        staticPeakRatio = Simulation.run(setup, new StaticPeak(), 0).summary().costRatio();
    }

    @ParameterizedTest
    @ValueSource(strings = {"backlog-drain", "target-utilization", "sla-headroom"})
    void afterEveryBurstTheJobReturnsToItsMinimumAndCostsLessThanHalfOfStaticPeak(String name) {
        ScalingPolicy policy = PolicyRegistry.builtIn().get(name)
                .create(ConfigFactory.defaultReference().getConfig("flinkfleet.policies." + name));
        DefaultGovernor governor = new DefaultGovernor(GovernorSettings.defaults());
        TreeMap<Instant, Integer> workers = new TreeMap<>();
        CycleListener rec = new CycleListener() {
            @Override
            public void onJob(JobOutcome o) {
                if (o.signals() != null) {
                    workers.put(o.signals().observedAt(), o.signals().currentWorkers());
                }
            }
        };
        Summary sum = Simulation.run(setup, new PolicyStrategy(name, policy, governor, rec), 0).summary();

        // Every stretch of at least 3 idle hours ends at the governor's minimum: the step-down limit halves the
        // workers per scale-down, so even from 100 workers it takes 7 scale-downs 10 minutes (the cooldown) apart;
        // 3 hours leaves room for the 15-minute stabilisation window and the restarts on top. Before the fix each
        // policy was still at its burst size (46 to 100 workers) there.
        List<Instant> idleEnds = idleStretchEnds(3 * 3600);
        assertTrue(idleEnds.size() >= 3, "the trace has idle stretches after its bursts: " + idleEnds);
        int min = governor.config().minWorkers();
        for (Instant end : idleEnds) {
            Integer w = workers.floorEntry(end).getValue();
            assertEquals(min, w, name + " at the end of the idle stretch before " + end);
        }
        // Before the fix each held its burst size for the rest of the trace and paid about static peak or more.
        assertTrue(sum.costRatio() < staticPeakRatio / 2,
                name + " cost ratio " + sum.costRatio() + " against static peak's " + staticPeakRatio);
    }

    /** The instants at which each zero-input stretch of at least {@code seconds}, after some input, ends. */
    static List<Instant> idleEnds(double[] rates, Instant start, int step, int seconds) {
        List<Instant> out = new ArrayList<>();
        int run = 0;
        boolean seenInput = false;
        for (int i = 0; i <= rates.length; i++) {
            boolean idle = i < rates.length && rates[i] == 0;
            if (idle) {
                run++;
                continue;
            }
            if (seenInput && run * step >= seconds) {
                out.add(start.plusSeconds((long) i * step));
            }
            run = 0;
            seenInput |= i < rates.length;
        }
        return out;
    }

    private static List<Instant> idleStretchEnds(int seconds) {
        return idleEnds(trace.rates(), trace.start(), trace.stepSeconds(), seconds);
    }
}

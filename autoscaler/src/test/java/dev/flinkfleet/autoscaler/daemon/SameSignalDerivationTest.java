package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.autoscaler.kafka.GroupBinding;
import dev.flinkfleet.autoscaler.kafka.KafkaSignalSettings;
import dev.flinkfleet.autoscaler.prometheus.PromSnapshot;
import dev.flinkfleet.autoscaler.prometheus.Sample;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.policies.signals.BacklogSignals;
import dev.flinkfleet.policies.signals.MetricObservation;
import dev.flinkfleet.simulator.SimulatedSignalSource;
import dev.flinkfleet.simulator.model.FluidJob;
import dev.flinkfleet.simulator.model.JobModel;

/**
 * The daemon and the simulator derive signals with the same code, as {@code SameEngineTest} shows for the policy:
 * both hold the engine's {@link BacklogSignals}, and the same raw observations give the same {@link Signals}
 * through the daemon's path (reader output types, {@link FleetSignalSource#derive}) as through the simulator's.
 */
class SameSignalDerivationTest {

    static final JobRef JOB = new JobRef("sim", "orders");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void bothSidesHoldTheEnginesDerivationAndNeitherHasItsOwn() throws Exception {
        Class<?> daemonOffsets = Arrays.stream(FleetSignalSource.KafkaBackend.class.getRecordComponents())
                .filter(c -> c.getName().equals("signals")).findFirst().orElseThrow().getType();
        assertSame(BacklogSignals.class, daemonOffsets);
        JobModel m = model(0);
        SimulatedSignalSource sim = new SimulatedSignalSource(JOB, new FluidJob(m, 10, 2), 10, 3, 6, 12);
        assertSame(BacklogSignals.class, sim.offsetDerivation().getClass());
        assertSame(FleetSignalSource.class.getDeclaredMethod("derive", JobWiring.class, BacklogSignals.KafkaMeasurements.class,
                PromSnapshot.class, Instant.class).getReturnType(), Signals.class);
        for (String gone : List.of("dev.flinkfleet.autoscaler.kafka.BacklogHistory", "dev.flinkfleet.autoscaler.kafka.LagMath",
                "dev.flinkfleet.autoscaler.kafka.BacklogSignals", "dev.flinkfleet.autoscaler.daemon.SignalMerger")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(gone), gone + " must live only in policies/signals");
        }
    }

    /**
     * A scenario: per 10 s step the input rate, and the steps at which the job is rescaled (to the given size). A
     * rescale 70 s before a control cycle leaves that cycle with metrics 80 s old: stale.
     */
    record Scenario(String name, double lostFraction, double[] rates, Map<Integer, Integer> rescales) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                new Scenario("steady, keeping up", 0, rates(240, i -> 150), Map.of()),
                new Scenario("overload, rescale, drain", 0, rates(240, i -> i < 60 ? 150 : 350), Map.of(95, 4, 185, 3)),
                new Scenario("a third of scrapes and reads lost", 1.0 / 3, rates(240, i -> 100 + 100 * Math.sin(i / 20.0) + 100),
                        Map.of(70, 3, 150, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void identicalObservationsGiveIdenticalSignals(Scenario c) {
        JobModel m = model(c.lostFraction());
        FluidJob fluid = new FluidJob(m, 10, 2);
        SimulatedSignalSource sim = new SimulatedSignalSource(JOB, fluid, 10, 3, 6, 12);
        // The daemon's side: its settings types, its per-cluster offset history, its reader's output types.
        KafkaSignalSettings kafka = new KafkaSignalSettings(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(60),
                Duration.ofSeconds(120), SimulatedSignalSource.offsetSettings(m).historySamples(), Duration.ofSeconds(180));
        BacklogSignals daemonOffsets = new BacklogSignals(kafka.offsets());

        Set<Quality> backlogQualities = EnumSet.noneOf(Quality.class);
        Set<Quality> throughputQualities = EnumSet.noneOf(Quality.class);
        int cycles = 0;
        for (int i = 0; i < c.rates().length; i++) {
            if (i > 0 && i % 6 == 0) {
                Instant now = T0.plusSeconds(10L * i);
                SimulatedSignalSource.Observations o = sim.observe(now);
                Signals simulated = sim.current(now);
                JobWiring wiring = new JobWiring(JOB, "main", GroupBinding.of("orders-group", "orders"), "orders",
                        fluid.workers(), Math.min(fluid.workers(), m.maxParallelism()));
                BacklogSignals.KafkaMeasurements k = daemonOffsets.update(Map.of(JOB, o.offsets()), now).get(JOB);
                Signals daemon = FleetSignalSource.derive(wiring, k, promSnapshot(o.metrics(), now), now);
                assertEquals(daemon, simulated, "cycle at step " + i);
                backlogQualities.add(simulated.backlog().quality());
                throughputQualities.add(simulated.throughput().quality());
                cycles++;
            }
            Integer to = c.rescales().get(i);
            if (to != null) {
                fluid.rescale(to);
            }
            fluid.step(c.rates()[i]);
            sim.record();
        }
        assertEquals(39, cycles);
        assertTrue(backlogQualities.contains(Quality.FRESH), "backlog qualities seen: " + backlogQualities);
        if (!c.rescales().isEmpty()) {
            assertTrue(throughputQualities.contains(Quality.STALE), "a restart leaves stale metrics: " + throughputQualities);
        }
    }

    /** What the daemon's Prometheus reader would have returned: the job's samples under its job label value. */
    static PromSnapshot promSnapshot(MetricObservation o, Instant now) {
        Map<SignalKind, Map<String, Sample>> samples = new EnumMap<>(SignalKind.class);
        for (SignalKind kind : SignalKind.values()) {
            MetricObservation.Sample s = o.sample(kind);
            if (s != null) {
                samples.put(kind, Map.of("orders", new Sample(s.value(), s.timestampSeconds())));
            }
        }
        assertEquals(now.toEpochMilli() / 1000.0, o.evaluatedAtSeconds());
        return new PromSnapshot(now, Duration.ofMillis(Math.round(o.staleAfterSeconds() * 1000)), samples, Map.of(), List.of());
    }

    static JobModel model(double lost) {
        // 100 ev/s per worker, 60 s restarts and checkpoints, metrics 30 s late, scraped every 10 s.
        return new JobModel(100, 1, 1, 60, 60, 64, 0, 300, 1, 30, 60, 120, 60, 10, 1, 0, 10, 60, 180, lost);
    }

    static double[] rates(int n, java.util.function.IntToDoubleFunction f) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = f.applyAsDouble(i);
        }
        return r;
    }
}

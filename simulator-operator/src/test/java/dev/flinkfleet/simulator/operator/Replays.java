package dev.flinkfleet.simulator.operator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.flinkfleet.simulator.Controller;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.Simulation;
import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.model.JobModel;
import dev.flinkfleet.simulator.trace.Trace;

/** Replays a synthetic trace under the operator's autoscaler and records each rescale with the library's report. */
final class Replays {

    static final Instant START = Instant.parse("2024-03-04T00:00:00Z");

    /** 1,000 ev/s per worker, linear, 60 s restarts, 64 partitions, 4 workers at the start, a decision every 30 s. */
    static final JobModel MODEL = new JobModel(1000, 1.0, 1, 60, 10, 64, 4, 300, 1, 30, 60, 120, 30, 10, 1, 0);

    /** One rescale: when, from and to, and the library's scaling report (its reason) for it. */
    record Rescale(Instant at, int from, int to, String report) {
    }

    private Replays() {
    }

    /** A trace of one-minute rows: {@code minutes[i]} minutes at {@code rates[i]} events per second, in turn. */
    static Trace trace(int[] minutes, double[] rates) {
        List<Double> rows = new ArrayList<>();
        for (int i = 0; i < minutes.length; i++) {
            for (int m = 0; m < minutes[i]; m++) {
                rows.add(rates[i]);
            }
        }
        return new Trace("synthetic", "synthetic.csv", START, 60, rows.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static List<Rescale> rescales(Trace trace) {
        List<Rescale> out = new ArrayList<>();
        Strategy recording = new Strategy() {
            @Override
            public String name() {
                return OperatorAutoscalerBaseline.NAME;
            }

            @Override
            public Controller start(SimContext ctx) {
                OperatorController c = new OperatorController(ctx, OperatorAutoscalerBaseline.defaults());
                return (cx, step) -> {
                    int before = cx.fluid().workers();
                    c.control(cx, step);
                    int after = cx.fluid().workers();
                    if (after != before) {
                        List<ScalingEvents.Event> events = c.events();
                        out.add(new Rescale(cx.clock().instant(), before, after, events.get(events.size() - 1).message()));
                    }
                };
            }
        };
        Simulation.run(SimContext.Setup.of(trace, MODEL), recording, 0);
        return out;
    }
}

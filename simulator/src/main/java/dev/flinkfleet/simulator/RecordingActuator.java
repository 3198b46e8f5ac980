package dev.flinkfleet.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.simulator.model.FluidJob;

/** Applies decisions to the job model and remembers each, for the report. */
public final class RecordingActuator implements Actuator {

    /** One applied rescale. */
    public record Rescale(Instant at, int from, int to, ReasonCode reason) {
    }

    private final FluidJob fluid;
    private final List<Rescale> rescales = new ArrayList<>();

    public RecordingActuator(FluidJob fluid) {
        this.fluid = fluid;
    }

    @Override
    public Result apply(Decision decision) {
        int from = fluid.workers();
        fluid.rescale(decision.targetWorkers());
        rescales.add(new Rescale(decision.at(), from, decision.targetWorkers(), decision.reason()));
        return Result.applied(from + "->" + decision.targetWorkers());
    }

    public List<Rescale> rescales() {
        return rescales;
    }
}

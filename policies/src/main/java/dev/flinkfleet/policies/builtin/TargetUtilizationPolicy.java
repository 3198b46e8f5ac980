package dev.flinkfleet.policies.builtin;

import static dev.flinkfleet.policies.builtin.Numbers.fmt;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import dev.flinkfleet.policies.Explanation;
import dev.flinkfleet.policies.Inputs;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.PolicyContext;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/**
 * Sizes the job to its true processing rate at a utilisation target, the approach of the Flink Kubernetes
 * operator's autoscaler. A worker's true rate is what it would process fully busy: throughput ÷ (CPU × workers).
 * The needed rate covers the input at the target utilisation, drains the backlog within the catch-up duration,
 * and absorbs the input that piles up during the restart a rescale causes.
 *
 * <p>Required signals are INPUT_RATE, THROUGHPUT, CPU and BACKLOG. When the input rate is missing the policy
 * estimates it as throughput + backlog growth, but only to scale up: a scale-down is sized from the input, so it
 * must rest on a measured one (and, through the governor, a fresh one). Without throughput, or with CPU missing or
 * below {@link #MIN_TRUSTED_CPU}, the true rate is the one remembered while the job was busy
 * ({@link dev.flinkfleet.policies.PolicyContext}); with none remembered the policy holds.
 * Built by {@link TargetUtilizationFactory}.
 *
 * @param targetUtilization   fraction of true capacity to plan for
 * @param utilizationBoundary hold while utilisation is within target ± this
 * @param catchUpDuration     the backlog should drain within this
 * @param restartTime         expected downtime of a rescale
 */
public record TargetUtilizationPolicy(
        double targetUtilization,
        double utilizationBoundary,
        Duration catchUpDuration,
        Duration restartTime) implements ScalingPolicy {

    public static final String NAME = "target-utilization";

    /** Below this CPU the throughput ÷ CPU estimate of a worker's capacity is mostly noise. */
    public static final double MIN_TRUSTED_CPU = Numbers.MIN_TRUSTED_CPU;

    private static final RateOpening OPENING = new RateOpening(NAME,
            EnumSet.of(SignalKind.INPUT_RATE, SignalKind.THROUGHPUT, SignalKind.CPU, SignalKind.BACKLOG),
            "the true processing rate cannot be estimated");

    public TargetUtilizationPolicy {
        Objects.requireNonNull(catchUpDuration, "catchUpDuration");
        Objects.requireNonNull(restartTime, "restartTime");
    }

    @Override
    public String name() {
        return OPENING.name();
    }

    @Override
    public Set<SignalKind> requiredSignals() {
        return OPENING.required();
    }

    @Override
    public Recommendation recommend(Signals s) {
        return recommend(s, PolicyContext.NONE);
    }

    /** The rate this policy sizes for, events/s, given the input rate and the backlog. */
    private double neededRate(double input, double backlog) {
        return input / targetUtilization + backlog / Numbers.seconds(catchUpDuration)
                + input * Numbers.seconds(restartTime) / Numbers.seconds(catchUpDuration);
    }

    @Override
    public Recommendation recommend(Signals s, PolicyContext ctx) {
        int current = s.currentWorkers();
        Inputs in = OPENING.inputs(s);
        Recommendation opened = OPENING.open(s, in, ctx, this::neededRate);
        if (opened != null) {
            return opened;
        }
        double throughput = s.throughput().value();
        Measurement cpuM = s.cpu();
        if (cpuM.isMissing() || cpuM.value() < MIN_TRUSTED_CPU) {
            if (!cpuM.isMissing()) {
                in.put("cpu", cpuM.value());
            }
            Explanation why = () -> "CPU is " + (cpuM.isMissing() ? "missing" : fmt(cpuM.value()) + ", below " + fmt(MIN_TRUSTED_CPU))
                    + ": the true processing rate cannot be estimated";
            Recommendation remembered = OPENING.fromMemory(s, in, ctx, this::neededRate, why);
            return remembered != null ? remembered : Recommendation.hold(current, ReasonCode.HOLD_INSUFFICIENT_SIGNALS, why, in);
        }
        double cpu = cpuM.value();
        in.put("cpu", cpu);

        boolean inputMeasured = !s.inputRate().isMissing();
        double input = Numbers.inputRate(s, throughput, in);
        if (Double.isNaN(input)) {
            return Recommendation.hold(current, ReasonCode.HOLD_INSUFFICIENT_SIGNALS, Numbers.NO_INPUT, in);
        }
        in.put("input-rate", input);
        boolean backlogKnown = !s.backlog().isMissing();
        // A missing backlog is taken as 0: that can only lower the need, so a scale-up stays justified.
        double backlog = s.backlog().orElse(0);
        if (backlogKnown) {
            in.put("backlog", backlog);
        }

        double catchUp = Numbers.seconds(catchUpDuration);
        double restart = Numbers.seconds(restartTime);
        double perWorker = throughput / (cpu * current);
        double capacity = perWorker * current;
        double utilization = input / capacity;
        double needed = input / targetUtilization + backlog / catchUp + input * restart / catchUp;
        double sized = needed / perWorker;
        int target = Numbers.ceilWorkers(sized);
        double spare = capacity - input;
        double drainTime = backlog == 0 ? 0 : spare > 0 ? backlog / spare : Double.POSITIVE_INFINITY;
        in.put("per-worker-rate", perWorker);
        in.put("utilization", utilization);
        in.put("drain-time", drainTime);
        in.put("needed-rate", needed);
        in.put("sized-workers", sized);

        boolean inBand = Numbers.atMost(Math.abs(utilization - targetUtilization), utilizationBoundary);
        boolean drains = Numbers.atMost(drainTime, catchUp);
        // The sentences are rendered on demand from these numbers; nothing is formatted while deciding.
        Sizing z = new Sizing(current, input, backlog, perWorker, utilization, drainTime, needed, sized, catchUp, restart,
                inputMeasured, backlogKnown);
        if (inBand && drains) {
            // With the backlog missing this only says "no scale-up if the backlog is 0": not enough to call it in range.
            return Recommendation.hold(current, backlogKnown ? ReasonCode.HOLD_IN_RANGE : ReasonCode.HOLD_INSUFFICIENT_SIGNALS,
                    () -> z.state() + ": within " + fmt(targetUtilization) + " ± " + fmt(utilizationBoundary)
                            + (backlogKnown ? " and within " + fmt(catchUp) + " s" : ", but the backlog is missing"), in);
        }
        if (target > current) {
            return new Recommendation(target, ReasonCode.SCALE_UP_UTILIZATION,
                    () -> z.state() + "; " + z.sizing(targetUtilization) + ", so " + target + " workers", in);
        }
        if (!backlogKnown || !inputMeasured) {
            return Recommendation.hold(current, ReasonCode.HOLD_INSUFFICIENT_SIGNALS, () -> z.state() + "; " + z.sizing(targetUtilization)
                    + ", but " + (backlogKnown ? "the input rate" : "the backlog") + " is missing, so no scale-down", in);
        }
        if (target < current) {
            return new Recommendation(target, ReasonCode.SCALE_DOWN_UTILIZATION,
                    () -> z.state() + "; " + z.sizing(targetUtilization) + ", so " + target + " workers", in);
        }
        return Recommendation.hold(current, ReasonCode.HOLD_IN_RANGE,
                () -> z.state() + "; " + z.sizing(targetUtilization) + ", which is the current " + current, in);
    }

    /** The numbers a decision was sized with, and the two clauses every explanation is built from. */
    private record Sizing(int current, double input, double backlog, double perWorker, double utilization,
                          double drainTime, double needed, double sized, double catchUp, double restart,
                          boolean inputMeasured, boolean backlogKnown) {

        String state() {
            return "utilisation " + fmt(utilization) + " = " + fmt(input) + " / (" + fmt(perWorker) + " per worker × "
                    + current + ")" + (inputMeasured ? "" : " with input estimated as throughput + growth")
                    + (backlogKnown ? ", backlog drains in " + fmt(drainTime) + " s" : ", backlog missing (taken as 0)");
        }

        String sizing(double targetUtilization) {
            return "needed rate " + fmt(input) + " / " + fmt(targetUtilization) + " + " + fmt(backlog) + " / "
                    + fmt(catchUp) + " + " + fmt(input) + " × " + fmt(restart) + " / " + fmt(catchUp) + " = " + fmt(needed)
                    + ", ÷ " + fmt(perWorker) + " per worker = " + fmt(sized);
        }
    }
}

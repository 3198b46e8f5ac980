package dev.flinkfleet.policies.builtin;

import java.util.Set;
import java.util.function.DoubleBinaryOperator;

import dev.flinkfleet.policies.Explanation;
import dev.flinkfleet.policies.Inputs;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.PolicyContext;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.RememberedCapacity;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/**
 * The opening the rate policies share: their name, the signals they require, and what to do when throughput is
 * missing or not positive (without it no rate policy can size anything): size from the capacity remembered
 * while the job was busy, or hold when none is remembered.
 *
 * @param name        the policy's registry name
 * @param required    the signals it requires
 * @param consequence what a missing throughput means for this policy, after "throughput is missing: "
 */
record RateOpening(String name, Set<SignalKind> required, String consequence) {

    RateOpening {
        required = Set.copyOf(required);
    }

    /** The inputs every decision starts with: the current workers. */
    Inputs inputs(Signals s) {
        Inputs in = new Inputs(12);
        in.put("current-workers", s.currentWorkers());
        return in;
    }

    /**
     * A hold, or a size from the remembered capacity, when this cycle's throughput cannot be used (missing, or not
     * positive: idle, or restarting after a rescale); else {@code null} (the caller goes on with
     * {@code s.throughput().value()}, already in {@code in} as "throughput").
     *
     * @param needed the policy's needed rate, events/s, for (input rate, backlog)
     */
    Recommendation open(Signals s, Inputs in, PolicyContext ctx, DoubleBinaryOperator needed) {
        Measurement tp = s.throughput();
        if (!tp.isMissing()) {
            in.put("throughput", tp.value());
        }
        if (tp.isMissing() || tp.value() <= 0) {
            String consequence = this.consequence;
            Explanation why = () -> "throughput is " + (tp.isMissing() ? "missing" : Numbers.fmt(tp.value())) + ": " + consequence;
            Recommendation remembered = fromMemory(s, in, ctx, needed, why);
            return remembered != null ? remembered
                    : Recommendation.hold(s.currentWorkers(), ReasonCode.HOLD_INSUFFICIENT_SIGNALS, why, in);
        }
        return null;
    }

    /**
     * The size the input and backlog need at the remembered capacity, or {@code null} when none is remembered.
     * A scale-down needs a fresh measured input rate and a fresh backlog (the governor checks only the policy's
     * required signals): an idle job shrinks only on fresh zeros. A missing input is estimated as throughput +
     * backlog growth and a missing backlog taken as 0, for scale-ups only.
     *
     * @param why what made this cycle's own estimate unusable, rendered first
     */
    Recommendation fromMemory(Signals s, Inputs in, PolicyContext ctx, DoubleBinaryOperator needed, Explanation why) {
        RememberedCapacity mem = ctx.capacity();
        if (mem == null) {
            return null;
        }
        int current = s.currentWorkers();
        double input = Numbers.inputRate(s, Math.max(0, s.throughput().orElse(0)), in);
        if (Double.isNaN(input)) {
            return Recommendation.hold(current, ReasonCode.HOLD_INSUFFICIENT_SIGNALS, Numbers.NO_INPUT, in);
        }
        double backlog = Math.max(0, s.backlog().orElse(0));
        double perWorker = mem.perWorker();
        double rate = needed.applyAsDouble(input, backlog);
        double sized = rate / perWorker;
        int target = Numbers.ceilWorkers(sized);
        in.put("input-rate", input);
        if (!s.backlog().isMissing()) {
            in.put("backlog", backlog);
        }
        in.put("remembered-per-worker", perWorker);
        in.put("needed-rate", rate);
        in.put("sized-workers", sized);
        Explanation sizing = () -> why.render() + "; sized with the capacity remembered from " + mem.learnedAt() + ", "
                + Numbers.fmt(perWorker) + " events/s per worker: needed rate " + Numbers.fmt(rate) + " for input "
                + Numbers.fmt(input) + " and backlog " + Numbers.fmt(backlog) + ", ÷ " + Numbers.fmt(perWorker)
                + " = " + Numbers.fmt(sized);
        if (target > current) {
            return new Recommendation(target, ReasonCode.SCALE_UP_UTILIZATION, () -> sizing.render() + ", so " + target + " workers", in);
        }
        if (target == current) {
            return Recommendation.hold(current, ReasonCode.HOLD_IN_RANGE, () -> sizing.render() + ", which is the current " + current, in);
        }
        if (!s.inputRate().isFresh() || !s.backlog().isFresh()) {
            return Recommendation.hold(current, ReasonCode.HOLD_INSUFFICIENT_SIGNALS, () -> sizing.render()
                    + ", but the input rate and backlog are not both fresh, so no scale-down", in);
        }
        return new Recommendation(target, ReasonCode.SCALE_DOWN_UTILIZATION, () -> sizing.render() + ", so " + target + " workers", in);
    }
}

package dev.flinkfleet.policies.builtin;

import java.util.Set;

import dev.flinkfleet.policies.Inputs;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/**
 * The opening the rate policies share: their name, the signals they require, and the hold when throughput is
 * missing or not positive (without it no rate policy can size anything).
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
     * A hold when throughput cannot be used, else {@code null} (the caller goes on with
     * {@code s.throughput().value()}, already in {@code in} as "throughput").
     */
    Recommendation holdWithoutThroughput(Signals s, Inputs in) {
        Measurement tp = s.throughput();
        if (!tp.isMissing()) {
            in.put("throughput", tp.value());
        }
        if (tp.isMissing() || tp.value() <= 0) {
            String consequence = this.consequence;
            return Recommendation.hold(s.currentWorkers(), ReasonCode.HOLD_INSUFFICIENT_SIGNALS,
                    () -> "throughput is " + (tp.isMissing() ? "missing" : Numbers.fmt(tp.value())) + ": " + consequence, in);
        }
        return null;
    }
}

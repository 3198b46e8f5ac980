package dev.flinkfleet.policies;

import java.util.Map;
import java.util.Objects;

/**
 * What a policy wants, before the governor applies bounds, cooldowns and stabilisation. Computed first,
 * explained on demand: {@link #explanation()} renders the sentence from the captured numbers only when called.
 *
 * @param targetWorkers the workers the policy wants (&gt;= 1)
 * @param reason        why
 * @param because       renders one human sentence with the numbers (see {@link #explanation()})
 * @param inputs        the named values the policy computed with, in order (for explain and logs)
 */
public record Recommendation(int targetWorkers, ReasonCode reason, Explanation because, Map<String, Double> inputs) {

    public Recommendation {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(because, "because");
        if (targetWorkers < 1) {
            throw new IllegalArgumentException("target workers must be >= 1, got " + targetWorkers);
        }
        // A policy's own Inputs is adopted as is (it built it for this record); any other map is copied.
        inputs = (inputs instanceof Inputs own ? own : Inputs.copyOf(inputs)).freeze();
    }

    /** With a sentence already built (tests, custom policies). */
    public Recommendation(int targetWorkers, ReasonCode reason, String explanation, Map<String, Double> inputs) {
        this(targetWorkers, reason, Explanation.of(explanation), inputs);
    }

    /** Keep the current size. */
    public static Recommendation hold(int currentWorkers, ReasonCode reason, Explanation because, Map<String, Double> inputs) {
        return new Recommendation(currentWorkers, reason, because, inputs);
    }

    /** Keep the current size, with a sentence already built. */
    public static Recommendation hold(int currentWorkers, ReasonCode reason, String explanation, Map<String, Double> inputs) {
        return new Recommendation(currentWorkers, reason, explanation, inputs);
    }

    /** One human sentence with the numbers, rendered now. */
    public String explanation() {
        return because.render();
    }

    /** Equal when target, reason, rendered sentence and inputs are: renderers compare by what they say. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Recommendation r && targetWorkers == r.targetWorkers && reason == r.reason
                && inputs.equals(r.inputs) && explanation().equals(r.explanation());
    }

    @Override
    public int hashCode() {
        return Objects.hash(targetWorkers, reason, inputs);
    }

    @Override
    public String toString() {
        return "Recommendation[targetWorkers=" + targetWorkers + ", reason=" + reason + ", explanation="
                + explanation() + ", inputs=" + inputs + "]";
    }
}

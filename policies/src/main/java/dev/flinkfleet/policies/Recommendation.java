package dev.flinkfleet.policies;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a policy wants, before the governor applies bounds, cooldowns and stabilisation.
 *
 * @param targetWorkers the workers the policy wants (&gt;= 1)
 * @param reason        why
 * @param explanation   one human sentence with the numbers
 * @param inputs        the named values the policy computed with, in order (for explain and logs)
 */
public record Recommendation(int targetWorkers, ReasonCode reason, String explanation, Map<String, Double> inputs) {

    public Recommendation {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(explanation, "explanation");
        if (targetWorkers < 1) {
            throw new IllegalArgumentException("target workers must be >= 1, got " + targetWorkers);
        }
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    }

    /** Keep the current size. */
    public static Recommendation hold(int currentWorkers, ReasonCode reason, String explanation, Map<String, Double> inputs) {
        return new Recommendation(currentWorkers, reason, explanation, inputs);
    }
}

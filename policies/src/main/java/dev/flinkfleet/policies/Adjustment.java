package dev.flinkfleet.policies;

/**
 * One change the governor made to the target on its way from recommendation to decision.
 *
 * @param code why
 * @param from target before this rule
 * @param to   target after this rule
 * @param why  one human sentence with the numbers
 */
public record Adjustment(ReasonCode code, int from, int to, String why) {

    @Override
    public String toString() {
        return code + " " + from + "->" + to + ": " + why;
    }
}

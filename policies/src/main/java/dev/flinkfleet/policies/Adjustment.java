package dev.flinkfleet.policies;

import java.util.Objects;

/**
 * One change the governor made to the target on its way from recommendation to decision. The sentence is
 * rendered only when {@link #why()} is called.
 *
 * @param code    why
 * @param from    target before this rule
 * @param to      target after this rule
 * @param because renders one human sentence with the numbers (see {@link #why()})
 */
public record Adjustment(ReasonCode code, int from, int to, Explanation because) {

    public Adjustment {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(because, "because");
    }

    /** With a sentence already built. */
    public Adjustment(ReasonCode code, int from, int to, String why) {
        this(code, from, to, Explanation.of(why));
    }

    /** One human sentence with the numbers, rendered now. */
    public String why() {
        return because.render();
    }

    /** Equal when code, from, to and the rendered sentence are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Adjustment a && code == a.code && from == a.from && to == a.to && why().equals(a.why());
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, from, to);
    }

    @Override
    public String toString() {
        return code + " " + from + "->" + to + ": " + why();
    }
}

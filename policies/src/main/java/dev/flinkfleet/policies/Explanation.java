package dev.flinkfleet.policies;

/**
 * The prose of a recommendation or adjustment, rendered only where it is shown ({@code policy explain},
 * {@code /jobs}, Kubernetes Events, the decision log). Deciding builds none of it: a policy hands back a small
 * renderer that holds the numbers it computed with, so a hold that nobody reads costs no formatting.
 * Implementations must be pure and cheap to keep: they capture values, never mutable state.
 */
@FunctionalInterface
public interface Explanation {

    /** The sentence, built from the captured numbers; the same text every call. */
    String render();

    /** A fixed sentence (tests, and code that already has its text). */
    static Explanation of(String text) {
        return new Text(text);
    }

    /** Already-built text; compares by value, so decisions built from fixed text stay comparable. */
    record Text(String text) implements Explanation {
        public Text {
            java.util.Objects.requireNonNull(text, "text");
        }

        @Override
        public String render() {
            return text;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}

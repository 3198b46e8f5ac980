package dev.flinkfleet.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Inputs} behaves as the LinkedHashMap it replaced: insertion order, a re-put key keeps its place. */
class InputsTest {

    record Case(String name, List<Map.Entry<String, Double>> puts) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String A = "current-workers";
    static final String B = "throughput";
    static final String C = "cpu";

    static Stream<Case> cases() {
        return Stream.of(
                new Case("empty", List.of()),
                new Case("one", List.of(Map.entry(A, 3.0))),
                new Case("order kept", List.of(Map.entry(C, 0.5), Map.entry(A, 3.0), Map.entry(B, 10.0))),
                new Case("re-put keeps its place", List.of(Map.entry(A, 1.0), Map.entry(B, 2.0), Map.entry(A, 7.0))),
                new Case("grows past its first size", Stream.iterate(0, i -> i + 1).limit(20)
                        .map(i -> Map.entry(("k" + i).intern(), (double) i)).toList()),
                new Case("NaN and infinity kept", List.of(Map.entry(A, Double.NaN), Map.entry(B, Double.POSITIVE_INFINITY))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void actsLikeALinkedHashMap(Case c) {
        Inputs in = new Inputs(2);
        Map<String, Double> expected = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : c.puts()) {
            in.put(e.getKey(), e.getValue().doubleValue());
            expected.put(e.getKey(), e.getValue());
        }
        assertEquals(expected, in);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(in.keySet()));
        assertEquals(expected.hashCode(), in.hashCode());
        assertEquals(expected.toString(), in.toString());
        assertEquals(expected, Inputs.copyOf(expected));
    }

    @Test
    void aRecommendationFreezesItsInputs() {
        Inputs in = new Inputs();
        in.put(A, 3);
        Recommendation r = new Recommendation(3, ReasonCode.HOLD_IN_RANGE, Explanation.of("steady"), in);
        assertThrows(UnsupportedOperationException.class, () -> in.put(B, 1));
        assertThrows(UnsupportedOperationException.class, () -> r.inputs().put(B, 1.0));
        assertEquals(Map.of(A, 3.0), r.inputs());
    }

    @Test
    void recommendationsCompareByWhatTheySay() {
        Recommendation lazy = new Recommendation(4, ReasonCode.SCALE_UP_LAG, () -> "so " + 4 + " workers", Map.of(A, 2.0));
        Recommendation text = new Recommendation(4, ReasonCode.SCALE_UP_LAG, "so 4 workers", Map.of(A, 2.0));
        assertEquals(text, lazy);
        assertEquals(new Adjustment(ReasonCode.CAPPED_MAX, 5, 4, "max-workers is 4"),
                new Adjustment(ReasonCode.CAPPED_MAX, 5, 4, () -> "max-workers is " + 4));
    }
}

package dev.flinkfleet.simulator.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ParetoTest {

    record Case(String name, double[] cost, double[] sla, boolean[] front) {
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("one point", new double[] {3}, new double[] {4}, new boolean[] {true}),
                new Case("dominated in both", new double[] {1, 2}, new double[] {1, 2}, new boolean[] {true, false}),
                new Case("trade-off", new double[] {1, 2, 3}, new double[] {3, 2, 1}, new boolean[] {true, true, true}),
                new Case("worse in one only", new double[] {1, 1, 2}, new double[] {5, 4, 4}, new boolean[] {false, true, false}),
                new Case("ties both stay", new double[] {1, 1}, new double[] {2, 2}, new boolean[] {true, true}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void frontier(Case c) {
        assertArrayEquals(c.front(), Pareto.frontier(c.cost(), c.sla()));
    }

    @Test
    void gridIsTheCartesianProductFirstAxisSlowest() {
        Grid g = Grid.parse(List.of("params.a=1,2", "governor.b=x,y,z"));
        List<Map<String, String>> cs = g.combinations();
        assertEquals(6, cs.size());
        assertEquals(Map.of("params.a", "1", "governor.b", "x"), cs.get(0));
        assertEquals(Map.of("params.a", "2", "governor.b", "z"), cs.get(5));
        assertEquals("params.a=1 governor.b=y", Grid.label(cs.get(1)));
    }
}

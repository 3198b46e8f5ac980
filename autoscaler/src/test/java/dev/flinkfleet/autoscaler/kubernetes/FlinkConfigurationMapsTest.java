package dev.flinkfleet.autoscaler.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** YAML-shaped Flink configuration read as Flink reads it. */
class FlinkConfigurationMapsTest {

    record Case(String name, Map<?, ?> yaml, Map<String, String> flat) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        Map<String, Object> nullValue = new LinkedHashMap<>();
        nullValue.put("a", null);
        nullValue.put("b", "x");
        return Stream.of(
                new Case("flat keys as they are", Map.of("job.autoscaler.enabled", "true"), Map.of("job.autoscaler.enabled", "true")),
                new Case("nested mappings are dotted keys", Map.of("job", Map.of("autoscaler", Map.of("enabled", true))),
                        Map.of("job.autoscaler.enabled", "true")),
                new Case("numbers as strings", Map.of("taskmanager.numberOfTaskSlots", 4), Map.of("taskmanager.numberOfTaskSlots", "4")),
                new Case("a list joined with ';'", Map.of("job.autoscaler.excluded.periods", List.of("10:00-11:00", "* * 9-10 ? * MON")),
                        Map.of("job.autoscaler.excluded.periods", "10:00-11:00;* * 9-10 ? * MON")),
                new Case("nulls left out", nullValue, Map.of("b", "x")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void flattens(Case c) {
        assertEquals(c.flat(), FlinkConfigurationMaps.flatten(c.yaml()));
    }
}

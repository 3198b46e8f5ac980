package dev.flinkfleet.policies.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.JobRef;

class InventoryTest {

    private static final Path FILE = Path.of("jobs.txt");

    @Test
    void parsesJobsLabelsAndComments() {
        List<Inventory.Entry> jobs = Inventory.parse(FILE, List.of(
                "# fleet inventory",
                "",
                "security/fw-eu sink=bigquery team=net   # the big one",
                "  security/siem-1",
                "a/b x="));
        assertEquals(3, jobs.size());
        assertEquals(new Inventory.Entry(JobRef.parse("security/fw-eu"), Map.of("sink", "bigquery", "team", "net"), 3), jobs.get(0));
        assertEquals(new Inventory.Entry(JobRef.parse("security/siem-1"), Map.of(), 4), jobs.get(1));
        assertEquals(Map.of("x", ""), jobs.get(2).labels(), "an empty label value is a value");
    }

    record Bad(String name, List<String> lines, String expected) {
    }

    static Stream<Bad> bad() {
        return Stream.of(
                new Bad("no namespace", List.of("fw-eu"), "jobs.txt:1: job: expected namespace/name"),
                new Bad("two slashes", List.of("# x", "a/b/c"), "jobs.txt:2: job: expected namespace/name"),
                new Bad("label without equals", List.of("a/b sink"), "jobs.txt:1: label: expected key=value, got 'sink'"),
                new Bad("label without key", List.of("a/b =x"), "jobs.txt:1: label: expected key=value"),
                new Bad("label twice", List.of("a/b t=1 t=2"), "jobs.txt:1: label: 't' given twice"),
                new Bad("job twice", List.of("a/b", "", "a/b t=1"), "jobs.txt:3: job: a/b is already listed on line 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void rejects(Bad c) {
        PolicyFileException e = assertThrows(PolicyFileException.class, () -> Inventory.parse(FILE, c.lines()));
        assertTrue(e.errors().stream().anyMatch(m -> m.startsWith(c.expected())), e.errors().toString());
    }

    @Test
    void reportsEveryBadLine() {
        PolicyFileException e = assertThrows(PolicyFileException.class, () -> Inventory.parse(FILE, List.of("x", "a/b", "y")));
        assertEquals(2, e.errors().size(), e.errors().toString());
        assertTrue(e.errors().get(0).startsWith("jobs.txt:1:"));
        assertTrue(e.errors().get(1).startsWith("jobs.txt:3:"));
    }
}

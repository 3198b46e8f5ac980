package dev.flinkfleet.policies.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.policies.JobRef;

class SelectorTest {

    private static final Selector FW = new Selector(List.of("security"), List.of("fw-*", "firewall-?"), Map.of("sink", "bigquery"));

    record Match(String name, Selector selector, String job, Map<String, String> labels, boolean expected) {
    }

    static Stream<Match> matches() {
        return Stream.of(
                new Match("all parts match", FW, "security/fw-eu", Map.of("sink", "bigquery", "team", "x"), true),
                new Match("second glob matches", FW, "security/firewall-1", Map.of("sink", "bigquery"), true),
                new Match("wrong namespace", FW, "prod/fw-eu", Map.of("sink", "bigquery"), false),
                new Match("no glob matches", FW, "security/siem-eu", Map.of("sink", "bigquery"), false),
                new Match("label missing", FW, "security/fw-eu", Map.of(), false),
                new Match("label value differs", FW, "security/fw-eu", Map.of("sink", "gcs"), false),
                new Match("empty selector matches anything", Selector.ANY, "any/thing", Map.of(), true),
                new Match("only labels", new Selector(List.of(), List.of(), Map.of("tier", "gold")), "a/b", Map.of("tier", "gold"), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matches")
    void matches(Match c) {
        assertEquals(c.expected(), c.selector().matches(JobRef.parse(c.job()), c.labels()));
    }

    record Overlap(String name, Selector a, Selector b, boolean expected) {
    }

    static Selector sel(List<String> ns, List<String> names, Map<String, String> labels) {
        return new Selector(ns, names, labels);
    }

    static Stream<Overlap> overlaps() {
        return Stream.of(
                new Overlap("both empty", Selector.ANY, Selector.ANY, true),
                new Overlap("one empty", Selector.ANY, FW, true),
                new Overlap("disjoint namespaces", sel(List.of("a"), List.of(), Map.of()), sel(List.of("b"), List.of(), Map.of()), false),
                new Overlap("shared namespace", sel(List.of("a", "b"), List.of(), Map.of()), sel(List.of("b"), List.of(), Map.of()), true),
                new Overlap("disjoint globs", sel(List.of(), List.of("fw-*"), Map.of()), sel(List.of(), List.of("siem-*"), Map.of()), false),
                new Overlap("intersecting globs", sel(List.of(), List.of("fw-*"), Map.of()), sel(List.of(), List.of("*-eu"), Map.of()), true),
                new Overlap("one pair of globs intersects", sel(List.of(), List.of("x", "fw-*"), Map.of()), sel(List.of(), List.of("y", "fw-eu"), Map.of()), true),
                new Overlap("conflicting label", sel(List.of(), List.of(), Map.of("sink", "bq")), sel(List.of(), List.of(), Map.of("sink", "gcs")), false),
                new Overlap("different label keys", sel(List.of(), List.of(), Map.of("sink", "bq")), sel(List.of(), List.of(), Map.of("team", "x")), true),
                new Overlap("namespaces overlap but labels conflict", sel(List.of("a"), List.of("*"), Map.of("t", "1")), sel(List.of("a"), List.of("*"), Map.of("t", "2")), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlaps")
    void mayOverlap(Overlap c) {
        assertEquals(c.expected(), c.a().mayOverlap(c.b()));
        assertEquals(c.expected(), c.b().mayOverlap(c.a()), "symmetric");
    }
}

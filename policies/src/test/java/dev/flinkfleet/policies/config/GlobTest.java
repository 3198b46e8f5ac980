package dev.flinkfleet.policies.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GlobTest {

    record Match(String name, String glob, String text, boolean expected) {
    }

    static Stream<Match> matches() {
        return Stream.of(
                new Match("literal equal", "fw-logs", "fw-logs", true),
                new Match("literal differs", "fw-logs", "fw-log", false),
                new Match("star suffix", "fw-*", "fw-logs-eu", true),
                new Match("star matches empty", "fw-*", "fw-", true),
                new Match("star prefix mismatch", "fw-*", "siem-1", false),
                new Match("question one char", "job-?", "job-7", true),
                new Match("question not zero chars", "job-?", "job-", false),
                new Match("question not two chars", "job-?", "job-12", false),
                new Match("star in middle", "a*z", "abcz", true),
                new Match("star in middle needs end", "a*z", "abc", false),
                new Match("two stars", "*-logs-*", "fw-logs-eu", true),
                new Match("star alone", "*", "", true),
                new Match("empty glob only empty", "", "a", false),
                new Match("backtracking", "*ab*ab", "xabyabab", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matches")
    void matches(Match c) {
        assertEquals(c.expected(), Glob.matches(c.glob(), c.text()));
    }

    record Pair(String name, String a, String b, boolean expected) {
    }

    static Stream<Pair> intersections() {
        return Stream.of(
                new Pair("equal literals", "fw", "fw", true),
                new Pair("different literals", "fw", "fx", false),
                new Pair("different lengths", "fw", "fw1", false),
                new Pair("prefix star vs literal", "fw-*", "fw-eu", true),
                new Pair("prefix star vs other literal", "fw-*", "siem-eu", false),
                new Pair("prefix vs suffix share a string", "a*", "*b", true),
                new Pair("disjoint prefixes", "fw-*", "siem-*", false),
                new Pair("nested prefixes", "fw-*", "fw-logs-*", true),
                new Pair("question vs literal", "job-?", "job-7", true),
                new Pair("question length mismatch", "job-?", "job-12", false),
                new Pair("question vs star", "??", "*", true),
                new Pair("star vs star", "*", "*", true),
                new Pair("empty vs star", "", "*", true),
                new Pair("empty vs question", "", "?", false),
                new Pair("suffixes disagree", "*-eu", "*-us", false),
                new Pair("middle star both sides", "a*c", "ab*", true),
                new Pair("middle star wrong end", "a*c", "*b", false),
                new Pair("star swallows across", "x*y*z", "*yy*", true),
                new Pair("fixed length conflict", "a?c", "?b?d", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("intersections")
    void intersects(Pair c) {
        assertEquals(c.expected(), Glob.intersects(c.a(), c.b()), c.a() + " ∩ " + c.b());
        assertEquals(c.expected(), Glob.intersects(c.b(), c.a()), "symmetric: " + c.b() + " ∩ " + c.a());
    }
}

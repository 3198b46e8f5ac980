package dev.flinkfleet.autoscaler.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.autoscaler.prometheus.RangeSeries;

/** The pure parts of recording: chunking, the step grid, the range a topic's retention allows, labels, numbers. */
class RecordArithmeticTest {

    private static final Instant T = Instant.parse("2026-11-01T00:00:00Z");

    record Chunking(String name, int points, long step, int maxPoints, List<Integer> sizes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Chunking> chunkings() {
        return Stream.of(
                new Chunking("fits in one request", 10_080, 60, 11_000, List.of(10_080)),
                new Chunking("exactly the limit is one request", 11_000, 60, 11_000, List.of(11_000)),
                new Chunking("one over the limit is two", 11_001, 60, 11_000, List.of(11_000, 1)),
                new Chunking("7 days at 15 s", 40_320, 15, 11_000, List.of(11_000, 11_000, 11_000, 7_320)),
                new Chunking("small chunks", 25, 60, 7, List.of(7, 7, 7, 4)),
                new Chunking("one point per request", 3, 1, 1, List.of(1, 1, 1)),
                new Chunking("nothing", 0, 60, 100, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chunkings")
    void chunksCoverEveryPointOnceAndStayUnderTheLimit(Chunking c) {
        List<RangeChunks.Chunk> chunks = RangeChunks.split(T, c.points(), c.step(), c.maxPoints());
        assertEquals(c.sizes(), chunks.stream().map(RangeChunks.Chunk::points).toList());
        Instant next = T;
        for (RangeChunks.Chunk ch : chunks) {
            assertEquals(next, ch.first(), "chunks are contiguous");
            // What Prometheus counts: (end - start) / step + 1.
            assertEquals(ch.points(), (ch.last().getEpochSecond() - ch.first().getEpochSecond()) / c.step() + 1);
            assertTrue(ch.points() <= c.maxPoints());
            next = ch.last().plusSeconds(c.step());
        }
        assertEquals(T.plusSeconds(c.points() * c.step()), next);
    }

    /** A topic's holdings: first-record times per partition, and which partitions lost records to retention. */
    record RangeCase(String name, Map<Integer, Instant> firstRecord, Map<Integer, Long> logStart,
                     Optional<Instant> from, Optional<Instant> to, Instant now, long step, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Instant t(String hhmmss) {
        return Instant.parse("2026-11-01T" + hhmmss + "Z");
    }

    static Stream<RangeCase> ranges() {
        Map<Integer, Instant> first = Map.of(0, t("01:00:30"), 1, t("01:20:00"));
        Map<Integer, Long> nothingDeleted = Map.of(0, 0L, 1, 0L);
        Map<Integer, Long> p1Trimmed = Map.of(0, 0L, 1, 500L);
        Instant now = t("03:00:10");
        return Stream.of(
                new RangeCase("default: from the step of the first record to the last whole step", first, nothingDeleted,
                        Optional.empty(), Optional.empty(), now, 60, "2026-11-01T01:00:00Z .. 2026-11-01T03:00:00Z 120"),
                new RangeCase("default after retention deleted records: the first whole step after what is kept", first, p1Trimmed,
                        Optional.empty(), Optional.empty(), now, 60, "2026-11-01T01:20:00Z .. 2026-11-01T03:00:00Z 100"),
                new RangeCase("from before the first record when nothing was deleted: zeros, allowed", first, nothingDeleted,
                        Optional.of(t("00:00:00")), Optional.of(t("00:10:00")), now, 60, "2026-11-01T00:00:00Z .. 2026-11-01T00:10:00Z 10"),
                new RangeCase("from before retention", first, p1Trimmed, Optional.of(t("01:00:00")), Optional.empty(), now, 60,
                        "error: range starts at 2026-11-01T01:00:00Z but the retention of topic t covers only from 2026-11-01T01:20:00Z"
                                + " (partition t-1 starts at offset 500, older records are deleted); use --from 2026-11-01T01:20:00Z or later"),
                new RangeCase("to after now", first, nothingDeleted, Optional.empty(), Optional.of(t("03:01:00")), now, 60,
                        "error: range ends at 2026-11-01T03:01:00Z, after now (2026-11-01T03:00:10Z)"),
                new RangeCase("a partial last step is left out", first, nothingDeleted, Optional.of(t("01:00:00")),
                        Optional.of(t("01:02:59")), now, 60, "2026-11-01T01:00:00Z .. 2026-11-01T01:02:00Z 2"),
                new RangeCase("fewer than two steps", first, nothingDeleted, Optional.of(t("01:00:00")), Optional.of(t("01:01:30")), now, 60,
                        "error: range 2026-11-01T01:00:00Z .. 2026-11-01T01:01:30Z holds 1 whole step(s) of 60 s; a trace needs at least 2"),
                new RangeCase("empty topic, no --from", Map.of(), nothingDeleted, Optional.empty(), Optional.empty(), now, 60,
                        "error: topic t has no records, so its retention gives no range"),
                new RangeCase("step that is not whole seconds", first, nothingDeleted, Optional.empty(), Optional.empty(), now, 0,
                        "error: step must be a whole number of seconds"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ranges")
    void theRangeDefaultsToRetentionAndMayNotLeaveIt(RangeCase c) {
        Map<TopicPartition, Instant> first = new java.util.HashMap<>();
        c.firstRecord().forEach((p, ts) -> first.put(new TopicPartition("t", p), ts));
        Map<TopicPartition, Long> start = new java.util.HashMap<>();
        c.logStart().forEach((p, o) -> start.put(new TopicPartition("t", p), o));
        Optional<TopicPartition> trimmed = c.logStart().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> new TopicPartition("t", e.getKey())).findFirst();
        var h = new KafkaTopicRates.Holdings(start, Map.of(), first,
                trimmed.map(first::get), trimmed);
        KafkaTopicRates rates = new KafkaTopicRates(null, "Kafka at x:9092", Duration.ofSeconds(1), java.util.Set.of());
        Duration step = c.step() == 0 ? Duration.ofMillis(1500) : Duration.ofSeconds(c.step());
        String got;
        try {
            StepGrid g = rates.grid("topic t", h, c.from(), c.to(), step, c.now());
            got = g.start() + " .. " + g.end() + " " + g.rows();
        } catch (RecordException e) {
            got = "error: " + e.getMessage();
        }
        assertTrue(got.startsWith(c.expected()), got);
    }

    record Labels(String name, List<Map<String, String>> series, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Labels> labelSets() {
        return Stream.of(
                new Labels("one label differs", List.of(Map.of("job_name", "a", "pod", "p1"), Map.of("job_name", "a", "pod", "p2")),
                        "label pod (p1, p2)"),
                new Labels("two differ", List.of(Map.of("job_name", "a", "pod", "p1"), Map.of("job_name", "b", "pod", "p2")),
                        "labels job_name (a, b), pod (p1, p2)"),
                new Labels("a label only some have", List.of(Map.of("job_name", "a"), Map.of("job_name", "a", "le", "1")),
                        "label le ((none), 1)"),
                new Labels("many values are cut", List.of(Map.of("i", "1"), Map.of("i", "2"), Map.of("i", "3"), Map.of("i", "4"),
                        Map.of("i", "5"), Map.of("i", "6")), "label i (1, 2, 3, 4, 5, ... 6 values)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labelSets")
    void severalSeriesAreToldApartByTheirLabels(Labels c) {
        assertEquals(c.expected(), PrometheusRates.differingLabels(c.series().stream().map(l -> new RangeSeries(l, List.of())).toList()));
    }

    record Number(double value, String written) {
    }

    static Stream<Number> numbers() {
        return Stream.of(new Number(0, "0"), new Number(12, "12"), new Number(0.5, "0.5"), new Number(100.0 / 60, "1.6666666666666667"),
                new Number(1e-7, "0.0000001"), new Number(3e20, "300000000000000000000"), new Number(1234567.25, "1234567.25"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numbers")
    void ratesAreWrittenAsPlainDecimalsThatReadBackTheSame(Number n) {
        assertEquals(n.written(), TraceFileWriter.format(n.value()));
        assertEquals(n.value(), Double.parseDouble(n.written()));
    }

    @ParameterizedTest(name = "selector [{0}], job {1}")
    @MethodSource("queries")
    void theInputRateQuerySelectsTheJob(String selector, String job, String contains) {
        String q = PrometheusRates.inputRateQuery("sum by ({{job_label}}) (m{a=\"b\", {{selector}}}) + deriv(x{{{selector}}}[{{window}}:{{step}}])",
                "job_name", selector, job, Duration.ofSeconds(60), Duration.ofSeconds(15));
        assertTrue(q.contains(contains), q);
        assertTrue(q.contains("[60s:15s]"), q);
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> queries() {
        return Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("", "orders", "m{a=\"b\", job_name=\"orders\"}"),
                org.junit.jupiter.params.provider.Arguments.of("namespace=\"prod\"", "orders", "x{namespace=\"prod\", job_name=\"orders\"}"),
                org.junit.jupiter.params.provider.Arguments.of("", "we\"ird\\job", "job_name=\"we\\\"ird\\\\job\""));
    }

    @org.junit.jupiter.api.Test
    void aStepOfLessThanOneSecondOrAFractionIsRefused() {
        assertThrows(RecordException.class, () -> StepGrid.stepSeconds(Duration.ofMillis(500)));
        assertThrows(RecordException.class, () -> StepGrid.stepSeconds(Duration.ofMillis(1500)));
        assertEquals(60, StepGrid.stepSeconds(Duration.ofMinutes(1)));
    }
}

package dev.flinkfleet.autoscaler.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.autoscaler.prometheus.PrometheusException.Kind;

class PromResponseParserTest {

    private static final String Q = "sum by (job_name) (up)";

    record Row(String job, double value, double time) {
    }

    record InstantCase(String name, String body, List<Row> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<InstantCase> instantCases() {
        return Stream.of(
                new InstantCase("vector with plain numbers",
                        vector("{\"metric\":{\"job_name\":\"a\"},\"value\":[1700000000.5,\"12.25\"]},"
                                + "{\"metric\":{\"job_name\":\"b\"},\"value\":[1700000001,\"-3e2\"]}"),
                        List.of(new Row("a", 12.25, 1700000000.5), new Row("b", -300, 1700000001))),
                new InstantCase("NaN and infinities arrive as strings",
                        vector("{\"metric\":{\"job_name\":\"nan\"},\"value\":[1,\"NaN\"]},"
                                + "{\"metric\":{\"job_name\":\"pinf\"},\"value\":[2,\"+Inf\"]},"
                                + "{\"metric\":{\"job_name\":\"ninf\"},\"value\":[3,\"-Inf\"]}"),
                        List.of(new Row("nan", Double.NaN, 1), new Row("pinf", Double.POSITIVE_INFINITY, 2),
                                new Row("ninf", Double.NEGATIVE_INFINITY, 3))),
                new InstantCase("empty result is no series, not an error", vector(""), List.of()),
                new InstantCase("scalar becomes one unlabelled series",
                        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[42.5,\"7\"]}}",
                        List.of(new Row(null, 7, 42.5))),
                new InstantCase("warnings and unknown fields are ignored",
                        "{\"status\":\"success\",\"warnings\":[\"partial\"],\"infos\":[],\"data\":{\"resultType\":\"vector\","
                                + "\"result\":[{\"metric\":{\"job_name\":\"a\",\"x\":\"y\"},\"value\":[5,\"1\"]}],\"extra\":1}}",
                        List.of(new Row("a", 1, 5))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("instantCases")
    void parsesInstantResults(InstantCase c) {
        List<InstantSeries> got = PromResponseParser.parseInstant(Q, c.body());
        assertEquals(c.expected().size(), got.size(), "series count");
        for (int i = 0; i < got.size(); i++) {
            Row want = c.expected().get(i);
            InstantSeries s = got.get(i);
            assertEquals(want.job(), s.labels().get("job_name"), "label");
            assertEquals(0, Double.compare(want.value(), s.sample().value()), "value of " + want.job() + ": " + s.sample().value());
            assertEquals(want.time(), s.sample().timestampSeconds(), 1e-9, "timestamp");
        }
    }

    record ErrorCase(String name, String body, Kind kind, String messagePart) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ErrorCase> errorCases() {
        return Stream.of(
                new ErrorCase("status error carries the server's type and message",
                        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unexpected\"}",
                        Kind.API_ERROR, "bad_data: 1:5: parse error: unexpected"),
                new ErrorCase("not JSON", "<html>proxy error</html>", Kind.MALFORMED_RESPONSE, "not JSON"),
                new ErrorCase("truncated JSON", "{\"status\":\"success\",\"data\":{", Kind.MALFORMED_RESPONSE, "not JSON"),
                new ErrorCase("JSON array instead of object", "[1,2]", Kind.MALFORMED_RESPONSE, "expected a JSON object"),
                new ErrorCase("no status", "{\"data\":{}}", Kind.MALFORMED_RESPONSE, "'status'"),
                new ErrorCase("unknown status", "{\"status\":\"partial\",\"data\":{}}", Kind.MALFORMED_RESPONSE, "unknown status"),
                new ErrorCase("no data", "{\"status\":\"success\"}", Kind.MALFORMED_RESPONSE, "'data'"),
                new ErrorCase("matrix for an instant query",
                        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}",
                        Kind.MALFORMED_RESPONSE, "resultType vector or scalar"),
                new ErrorCase("result not an array",
                        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":{}}}",
                        Kind.MALFORMED_RESPONSE, "data.result"),
                new ErrorCase("value as a JSON number", vector("{\"metric\":{},\"value\":[1,2]}"),
                        Kind.MALFORMED_RESPONSE, "expected a sample"),
                new ErrorCase("value not a float", vector("{\"metric\":{},\"value\":[1,\"abc\"]}"),
                        Kind.MALFORMED_RESPONSE, "'abc'"),
                new ErrorCase("Java's float suffix is not a Go float", vector("{\"metric\":{},\"value\":[1,\"1.5d\"]}"),
                        Kind.MALFORMED_RESPONSE, "'1.5d'"),
                new ErrorCase("series without metric", vector("{\"value\":[1,\"1\"]}"),
                        Kind.MALFORMED_RESPONSE, "'metric'"),
                new ErrorCase("native histogram instead of value", vector("{\"metric\":{},\"histogram\":[1,{}]}"),
                        Kind.MALFORMED_RESPONSE, "expected a sample"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorCases")
    void rejectsBadBodiesNamingTheQuery(ErrorCase c) {
        PrometheusException e = assertThrows(PrometheusException.class, () -> PromResponseParser.parseInstant(Q, c.body()));
        assertEquals(c.kind(), e.kind());
        assertEquals(Q, e.query());
        assertTrue(e.getMessage().contains(c.messagePart()), e.getMessage());
        assertTrue(e.getMessage().contains(Q), "message names the query: " + e.getMessage());
    }

    @Test
    void parsesMatrix() {
        String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"job_name\":\"a\"},\"values\":[[10,\"1\"],[11,\"NaN\"],[12,\"3\"]]},"
                + "{\"metric\":{\"job_name\":\"b\"},\"values\":[]}]}}";
        List<RangeSeries> got = PromResponseParser.parseRange(Q, body);
        assertEquals(2, got.size());
        assertEquals(Map.of("job_name", "a"), got.get(0).labels());
        assertEquals(List.of(new Sample(1, 10), new Sample(Double.NaN, 11), new Sample(3, 12)), got.get(0).samples());
        assertEquals(List.of(), got.get(1).samples());
    }

    @Test
    void rangeRejectsVector() {
        PrometheusException e = assertThrows(PrometheusException.class, () -> PromResponseParser.parseRange(Q, vector("")));
        assertEquals(Kind.MALFORMED_RESPONSE, e.kind());
    }

    record MessageCase(String name, String body, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<MessageCase> messageCases() {
        String longText = "x".repeat(1000);
        return Stream.of(
                new MessageCase("API error JSON", "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out\"}",
                        "timeout: query timed out"),
                new MessageCase("error without type", "{\"error\":\"boom\"}", "boom"),
                new MessageCase("plain text", "  Service Unavailable\n", "Service Unavailable"),
                new MessageCase("empty", "", "empty body"),
                new MessageCase("long body is cut", longText, "x".repeat(300) + "..."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messageCases")
    void extractsErrorMessages(MessageCase c) {
        assertEquals(c.expected(), PromResponseParser.errorMessage(c.body()));
    }

    record ValueCase(String text, double expected) {
        @Override
        public String toString() {
            return text;
        }
    }

    static Stream<ValueCase> values() {
        return Stream.of(new ValueCase("0", 0), new ValueCase("1.5", 1.5), new ValueCase("-2.5e3", -2500),
                new ValueCase("1E-3", 0.001), new ValueCase("NaN", Double.NaN),
                new ValueCase("+Inf", Double.POSITIVE_INFINITY), new ValueCase("Inf", Double.POSITIVE_INFINITY),
                new ValueCase("-Inf", Double.NEGATIVE_INFINITY), new ValueCase("nan", Double.NaN),
                new ValueCase("Infinity", Double.POSITIVE_INFINITY), new ValueCase("-infinity", Double.NEGATIVE_INFINITY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void parsesGoFloats(ValueCase c) {
        assertEquals(0, Double.compare(c.expected(), PromResponseParser.parseValue(c.text())));
    }

    @ParameterizedTest(name = "'{0}'")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "abc", "0x10", "1d", "1f", "1,5", "Inff"})
    void rejectsNonGoFloats(String text) {
        assertThrows(NumberFormatException.class, () -> PromResponseParser.parseValue(text));
    }

    private static String vector(String series) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + series + "]}}";
    }
}

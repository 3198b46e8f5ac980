package dev.flinkfleet.autoscaler.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flinkfleet.autoscaler.prometheus.PrometheusException.Kind;

/**
 * Property-based tests of {@link PromResponseParser} over generated API responses: valid vectors and matrices
 * (random labels; values including NaN, ±Inf, huge, tiny and negative) parse to exactly what was sent; truncated
 * JSON, wrong types, error statuses and random bytes are rejected with a {@link PrometheusException} that names
 * the query and the field. Never another exception, never a hang.
 */
class PromResponseParserFuzzTest {

    private static final String Q = "sum by (job_name) (rate(x[1m]))";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PER_TRY = Duration.ofSeconds(5);
    /** A malformed body's message names a field of the API's JSON (or says the body is not JSON at all). */
    private static final Pattern NAMES_A_FIELD = Pattern.compile(
            "(not JSON|top level|status|data|data\\.resultType|data\\.result(\\[[0-9]+\\](\\.(value|values(\\[[0-9]+\\])?|metric(\\..*)?))?)?): .*",
            Pattern.DOTALL);

    /** One series as sent: its labels and its samples (one for a vector). */
    record Series(Map<String, String> labels, List<double[]> samples) {
    }

    /** A valid response and how its values are spelt. */
    record Response(boolean matrix, List<Series> series, long spelling) {

        String body() {
            Random r = new Random(spelling);
            ObjectNode root = JSON.createObjectNode().put("status", "success");
            if (r.nextInt(4) == 0) {
                root.putArray("warnings").add("partial response");
            }
            ObjectNode data = root.putObject("data").put("resultType", matrix ? "matrix" : "vector");
            ArrayNode result = data.putArray("result");
            for (Series s : series) {
                ObjectNode o = result.addObject();
                ObjectNode metric = o.putObject("metric");
                s.labels().forEach(metric::put);
                if (matrix) {
                    ArrayNode values = o.putArray("values");
                    s.samples().forEach(p -> values.addArray().add(p[0]).add(spell(p[1], r)));
                } else {
                    o.putArray("value").add(s.samples().get(0)[0]).add(spell(s.samples().get(0)[1], r));
                }
            }
            return root.toString();
        }

        /** As Prometheus writes a float (Go's 'f' format, NaN, +Inf, -Inf), or in other servers' exponent form. */
        static String spell(double v, Random r) {
            if (Double.isNaN(v)) {
                return "NaN";
            }
            if (Double.isInfinite(v)) {
                return v > 0 ? "+Inf" : "-Inf";
            }
            return r.nextBoolean() ? new BigDecimal(Double.toString(v)).toPlainString() : Double.toString(v);
        }
    }

    @Provide
    Arbitrary<Response> responses() {
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(20);
        Arbitrary<Map<String, String>> labels = Arbitraries.maps(text, text).ofMaxSize(6);
        Arbitrary<Double> value = Arbitraries.oneOf(
                Arbitraries.doubles(),
                Arbitraries.doubles().between(-1e6, 1e6),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, -Double.MAX_VALUE,
                        Double.MIN_VALUE, -0.0, 0.0, 1e308, -1e-300));
        Arbitrary<double[]> sample = Combinators.combine(Arbitraries.doubles().between(0, 4e9), value).as((t, v) -> new double[] {t, v});
        Arbitrary<List<double[]>> samples = sample.list().ofMinSize(1).ofMaxSize(8);
        Arbitrary<Series> series = Combinators.combine(labels, samples).as(Series::new);
        return Combinators.combine(Arbitraries.of(true, false), series.list().ofMaxSize(12), Arbitraries.longs()).as(Response::new);
    }

    @Property(tries = 2500)
    void validResponsesParseToWhatWasSent(@ForAll("responses") Response resp) {
        String body = resp.body();
        assertTimeoutPreemptively(PER_TRY, () -> {
            if (resp.matrix()) {
                List<RangeSeries> got = PromResponseParser.parseRange(Q, body);
                assertEquals(resp.series().size(), got.size());
                for (int i = 0; i < got.size(); i++) {
                    assertEquals(resp.series().get(i).labels(), got.get(i).labels());
                    List<double[]> want = resp.series().get(i).samples();
                    assertEquals(want.size(), got.get(i).samples().size());
                    for (int j = 0; j < want.size(); j++) {
                        assertSample(want.get(j), got.get(i).samples().get(j));
                    }
                }
            } else {
                List<InstantSeries> got = PromResponseParser.parseInstant(Q, body);
                assertEquals(resp.series().size(), got.size());
                for (int i = 0; i < got.size(); i++) {
                    assertEquals(resp.series().get(i).labels(), got.get(i).labels());
                    assertSample(resp.series().get(i).samples().get(0), got.get(i).sample());
                }
            }
        });
    }

    private static void assertSample(double[] want, Sample got) {
        assertEquals(want[0], got.timestampSeconds(), "timestamp");
        // -0 is sent as "-0.0" and read back as -0; compare as Prometheus does: numerically, NaN equal to NaN.
        assertTrue(Double.compare(want[1], got.value()) == 0 || want[1] == got.value(), "value " + want[1] + " read as " + got.value());
    }

    /** A valid response with 1 to 4 random damages, driven by {@code seed}. */
    record Mutated(Response base, long seed) {

        String body() {
            Random r = new Random(seed);
            String b = base.body();
            for (int n = 1 + r.nextInt(4); n > 0; n--) {
                int at = b.isEmpty() ? 0 : r.nextInt(b.length());
                b = switch (r.nextInt(8)) {
                    case 0 -> b.substring(0, at);                                                   // truncated
                    case 1 -> b.substring(0, at) + (char) r.nextInt(0x800) + b.substring(at);      // a stray character
                    case 2 -> b.isEmpty() ? b : b.substring(0, at) + b.substring(at + 1);          // a lost character
                    case 3 -> b.replaceFirst(Pattern.quote(pick(r, FIELDS)), pick(r, FIELDS));     // a field renamed
                    case 4 -> b.replaceFirst("\"[^\"]*\"(?=[\\],}])", pick(r, VALUES));              // a string value retyped
                    case 5 -> b.replaceFirst("\"status\":\"success\"", "\"status\":" + pick(r, STATUSES));
                    case 6 -> b.replaceFirst("[0-9][0-9.eE+-]*(?=[\\],])", pick(r, VALUES));          // a number retyped
                    default -> b.replaceFirst("\"(vector|matrix)\"", pick(r, List.of("\"scalar\"", "\"string\"", "\"matrix\"", "\"vector\"", "1", "null")));
                };
            }
            return b;
        }

        private static String pick(Random r, List<String> from) {
            return java.util.regex.Matcher.quoteReplacement(from.get(r.nextInt(from.size())));
        }
    }

    static final List<String> FIELDS = List.of("\"status\"", "\"data\"", "\"resultType\"", "\"result\"", "\"metric\"", "\"value\"",
            "\"values\"", "\"histogram\"", "\"error\"", "\"x\"");
    static final List<String> VALUES = List.of("1", "-1", "1e400", "null", "true", "{}", "[]", "[1]", "[1,\"1\",3]", "\"NaN\"", "\"+Inf\"",
            "\"1d\"", "\"0x10\"", "\"\"", "\"abc\"", "\"1.2.3\"", "[\"1\",1]", "{\"a\":1}", "99999999999999999999999999999999");
    static final List<String> STATUSES = List.of("\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"", "\"error\"", "\"partial\"",
            "null", "1", "\"\"", "[\"success\"]");

    @Provide
    Arbitrary<Mutated> mutated() {
        return Combinators.combine(responses(), Arbitraries.longs()).as(Mutated::new);
    }

    @Property(tries = 3000)
    void damagedResponsesParseOrNameTheField(@ForAll("mutated") Mutated m, @ForAll boolean range) {
        parseOrReject(m.body(), range);
    }

    @Property(tries = 1500)
    void randomBytesAreRejected(@ForAll byte[] junk, @ForAll boolean range) {
        parseOrReject(new String(junk, StandardCharsets.UTF_8), range);
    }

    /** The parser's contract on any body: series, or a PrometheusException naming the query and the field. */
    private static void parseOrReject(String body, boolean range) {
        String outcome = assertTimeoutPreemptively(PER_TRY, () -> {
            try {
                List<?> got = range ? PromResponseParser.parseRange(Q, body) : PromResponseParser.parseInstant(Q, body);
                assertTrue(got != null);
                return "parsed";
            } catch (PrometheusException e) {
                assertEquals(Q, e.query());
                assertTrue(e.getMessage().contains(Q), "names the query: " + e.getMessage());
                if (e.kind() == Kind.MALFORMED_RESPONSE) {
                    assertTrue(NAMES_A_FIELD.matcher(e.serverMessage()).matches(), "names no field: " + e.serverMessage());
                } else {
                    assertEquals(Kind.API_ERROR, e.kind(), e.getMessage());
                }
                return e.kind().toString();
            } catch (Throwable other) {
                return fail("not a PrometheusException: " + other + " for " + body, other);
            }
        });
        Statistics.collect(outcome);
    }
}

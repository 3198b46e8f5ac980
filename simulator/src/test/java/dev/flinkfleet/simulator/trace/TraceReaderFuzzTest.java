package dev.flinkfleet.simulator.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import dev.flinkfleet.simulator.BadInputException;

/**
 * Property-based tests of the trace reader over generated files: every file is either read correctly (valid
 * values come back equal) or rejected with a {@link BadInputException} naming the file and a line; it never
 * hangs and never throws anything else.
 */
class TraceReaderFuzzTest {

    private static final String WHERE = "fuzz.csv";
    /** Every rejection starts with the file, a line number and optionally a column. */
    private static final Pattern NAMES_A_LINE = Pattern.compile("^" + Pattern.quote(WHERE) + ":[0-9]+(:[0-9]+)?: .+", Pattern.DOTALL);
    private static final Duration PER_TRY = Duration.ofSeconds(5);

    /** A valid trace as generated: the values the reader must give back, and how each rate is spelled. */
    record Valid(long start, int step, double[] rates, boolean bom, boolean crlf, boolean finalNewline, long spelling) {

        byte[] content() {
            Random r = new Random(spelling);
            String nl = crlf ? "\r\n" : "\n";
            StringBuilder sb = new StringBuilder(bom ? "\uFEFF" : "").append(TraceReader.HEADER);
            for (int i = 0; i < rates.length; i++) {
                sb.append(nl).append(Instant.ofEpochSecond(start + (long) i * step)).append(',').append(spell(rates[i], r));
            }
            if (finalNewline) {
                sb.append(nl);
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        /** One of the plain decimal forms that must read back as exactly {@code v}. */
        static String spell(double v, Random r) {
            String s = switch (r.nextInt(4)) {
                case 0 -> Double.toString(v);                                  // 1.0E-5, 12.5
                case 1 -> new BigDecimal(v).toPlainString();                   // exact, possibly long
                case 2 -> new BigDecimal(Double.toString(v)).toString().replace("E+", "e"); // 1.5e20
                default -> v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
            };
            return r.nextInt(8) == 0 ? " " + s + " " : s;
        }
    }

    @Provide
    Arbitrary<Valid> validTraces() {
        Arbitrary<Double> rate = Arbitraries.oneOf(
                Arbitraries.doubles().between(0, 1e6),
                Arbitraries.integers().between(0, 1_000_000).map(Integer::doubleValue),
                Arbitraries.doubles().between(0, Double.MAX_VALUE),
                Arbitraries.of(0.0, Double.MIN_VALUE, Double.MIN_NORMAL, 1e-320, 1e-300, 1e300, Double.MAX_VALUE, 0.1, 1e15, 9007199254740993.0));
        return Combinators.combine(
                Arbitraries.longs().between(-62_000_000_000L, 250_000_000_000L),
                Arbitraries.integers().between(1, (int) TraceReader.MAX_STEP_SECONDS),
                rate.array(double[].class).ofMinSize(2).ofMaxSize(60),
                Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.longs()).as(Valid::new);
    }

    @Property(tries = 2000)
    void validTracesReadBackEqual(@ForAll("validTraces") Valid v) {
        Trace t = assertTimeoutPreemptively(PER_TRY, () -> TraceReader.parse("fuzz.csv", WHERE, new ByteArrayInputStream(v.content())));
        assertEquals(Instant.ofEpochSecond(v.start()), t.start());
        assertEquals(v.step(), t.stepSeconds());
        assertArrayEquals(v.rates(), t.rates());
    }

    /** A valid trace with 1 to 6 random damages (driven by {@code seed}): bytes replaced, inserted or cut, odd values spliced in. */
    record Mutated(Valid base, long seed) {

        byte[] content() {
            Random r = new Random(seed);
            List<Byte> b = new ArrayList<>();
            for (byte x : base.content()) {
                b.add(x);
            }
            for (int n = 1 + r.nextInt(6); n > 0; n--) {
                int at = b.isEmpty() ? 0 : r.nextInt(b.size());
                byte x = (byte) r.nextInt(256);
                switch (r.nextInt(6)) {
                    case 0 -> {
                        if (!b.isEmpty()) {
                            b.set(at, x);
                        }
                    }
                    case 1 -> b.add(at, x);
                    case 2 -> {
                        if (!b.isEmpty()) {
                            b.remove(at);
                        }
                    }
                    case 3, 4 -> insert(b, at, SPLICES[r.nextInt(SPLICES.length)]);
                    default -> b.subList(at, b.size()).clear(); // truncated file
                }
            }
            byte[] out = new byte[b.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = b.get(i);
            }
            return out;
        }

        private static void insert(List<Byte> b, int at, String s) {
            byte[] raw = s.getBytes(StandardCharsets.ISO_8859_1); // each char below 256 as that byte: invalid UTF-8 on purpose
            for (int i = raw.length - 1; i >= 0; i--) {
                b.add(at, raw[i]);
            }
        }
    }

    /** Fragments that break a trace in the ways users' files do. */
    static final String[] SPLICES = {"1d", "2f", "0x10p0", "+7", "Infinity", "NaN", "-1", "1e400", "1e-400", "1,2", ",", "\u0000",
            "\u0001", "\t", "\r", "\u00EF\u00BB\u00BF", "\u00FF", "\u00C3", "\u00E2\u0082", "\u00C0\u00AF", "\u00ED\u00A0\u0080",
            "9999999999999999999999999999", "2068-01-19T03:14:07Z", "1970-01-01T00:00:00Z", "+1000000000-12-31T23:59:59Z",
            "2024-01-01T00:00:00.5Z", "\n\n", "\r\n", " ", "e", ".", "-0", "1_000", "\u00A0", "timestamp,events_per_second\n"};

    @Provide
    Arbitrary<Mutated> mutatedTraces() {
        return Combinators.combine(validTraces(), Arbitraries.longs()).as(Mutated::new);
    }

    @Property(tries = 3000)
    void mutatedTracesAreReadOrRejectedWithALine(@ForAll("mutatedTraces") Mutated m) {
        readOrRejectWithALine(m.content());
    }

    @Property(tries = 2000)
    void randomBytesAreRejectedWithALine(@ForAll byte[] junk, @ForAll boolean withHeader) {
        byte[] head = withHeader ? (TraceReader.HEADER + "\n").getBytes(StandardCharsets.UTF_8) : new byte[0];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        out.writeBytes(junk);
        readOrRejectWithALine(out.toByteArray());
    }

    /** The reader's contract on any input: a sane trace, or a BadInputException naming a line; nothing else, no hang. */
    private static void readOrRejectWithALine(byte[] bytes) {
        assertTimeoutPreemptively(PER_TRY, () -> {
            try {
                Trace t = TraceReader.parse("fuzz.csv", WHERE, new ByteArrayInputStream(bytes));
                assertTrue(t.length() >= 2 && t.stepSeconds() >= 1 && t.stepSeconds() <= TraceReader.MAX_STEP_SECONDS, t.toString());
                for (double r : t.rates()) {
                    assertTrue(Double.isFinite(r) && r >= 0 && Double.compare(r, -0.0) != 0, "rate " + r);
                }
            } catch (BadInputException e) {
                assertTrue(NAMES_A_LINE.matcher(e.getMessage()).matches(), "message names no line: " + e.getMessage());
            } catch (Throwable other) {
                fail("not a BadInputException: " + other + " for " + new String(bytes, StandardCharsets.ISO_8859_1)
                        .replaceAll("[^\\x20-\\x7e\\n]", "?").lines().limit(5).toList(), other);
            }
        });
    }
}

package dev.flinkfleet.simulator.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.simulator.BadInputException;

class TraceReaderTest {

    @TempDir
    Path dir;

    /**
     * One rejected trace. {@code bytes}: the text is written byte for byte (each char as one byte, so
     * {@code \u00FF} is the byte 0xFF) instead of as UTF-8, for malformed UTF-8.
     */
    record Bad(String name, String csv, int line, String says, boolean bytes) {
        Bad(String name, String csv, int line, String says) {
            this(name, csv, line, says, false);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final String H = "timestamp,events_per_second\n";
    private static final String R1 = "2024-01-01T00:00:00Z,1\n";

    /** A trace whose third line has rate {@code v}. */
    private static Bad rate(String name, String v, String says) {
        return new Bad(name, H + R1 + "2024-01-01T00:01:00Z," + v + "\n", 3, says);
    }

    static Stream<Bad> badTraces() {
        String h = H;
        String plain = "not a plain decimal";
        return Stream.of(
                new Bad("wrong header", "time,rate\n2024-01-01T00:00:00Z,1\n", 1, "header"),
                new Bad("comment after the header is a bad row", h + "# note\n" + R1, 2, "expected 'timestamp,events_per_second'"),
                new Bad("bad row after comments names its own line", "# a\n# b\n" + h + R1 + "2024-01-01T00:01:00Z,x\n", 5, "plain decimal"),
                new Bad("wrong header after comments", "# a\ntime,rate\n" + R1, 2, "header"),
                new Bad("empty file", "", 1, "empty"),
                new Bad("unparseable timestamp", h + "2024-01-01T00:00:00Z,1\nyesterday,2\n", 3, "ISO-8601"),
                rate("unparseable rate", "lots", plain),
                rate("negative rate", "-2", ">= 0"),
                rate("negative rate in exponent form", "-0.5e1", ">= 0"),
                new Bad("NaN rate", h + "2024-01-01T00:00:00Z,NaN\n2024-01-01T00:01:00Z,2\n", 2, plain),
                rate("Java double suffix d", "1d", plain),
                rate("Java float suffix f", "2f", plain),
                rate("Java upper-case suffix D", "3D", plain),
                rate("hex float", "0x10p0", plain),
                rate("leading plus", "+7", plain),
                rate("Infinity", "Infinity", plain),
                rate("negative Infinity", "-Infinity", plain),
                rate("beyond double range", "1e400", "beyond the range"),
                rate("no digit before the point", ".5", plain),
                rate("no digit after the point", "5.", plain),
                rate("decimal comma", "\"1,5\"", "expected 'timestamp,events_per_second'"),
                rate("exponent without digits", "1e", plain),
                rate("two points", "1.2.3", plain),
                rate("digit group separator", "1_000", plain),
                rate("non-breaking space", "\u00A05", plain),
                rate("full-width digit", "\uFF15", plain),
                rate("empty rate", "", plain),
                new Bad("leading control character", h + R1 + "\u00012024-01-01T00:01:00Z,1\n", 3, "control"),
                rate("trailing control character", "5\u0007", "control"),
                rate("tab before the rate", "\t5", "control"),
                rate("NUL in the rate", "5\u0000", "control"),
                rate("DEL in the rate", "5\u007F", "control"),
                rate("lone carriage return inside a row", "5\r6", "control"),
                new Bad("byte-order mark in a row", h + R1 + "\uFEFF2024-01-01T00:01:00Z,1\n", 3, "U+FEFF"),
                new Bad("invalid UTF-8 byte", h + R1 + "2024-01-01T00:01:00Z,\u00FF\n", 3, "not UTF-8", true),
                new Bad("truncated UTF-8 sequence", h + R1 + R1.replace("00:00:00", "00:01:00").replace(",1", ",1\u00C3") + "2024-01-01T00:02:00Z,1\n", 3, "not UTF-8", true),
                new Bad("overlong UTF-8 encoding", h + "2024-01-01T00:00:00Z,\u00C0\u00AF\n", 2, "not UTF-8", true),
                new Bad("UTF-16 surrogate in UTF-8", h + "2024-01-01T00:00:00Z,\u00ED\u00A0\u0080\n", 2, "not UTF-8", true),
                new Bad("invalid UTF-8 after 3000 good lines", h + longTrace(3000) + "2024-02-01T00:00:00Z,\u00FE\n", 3002, "not UTF-8", true),
                new Bad("line without end longer than 4 KiB", h + R1 + "2".repeat(5000), 3, "longer than"),
                new Bad("gap", h + "2024-01-01T00:00:00Z,1\n2024-01-01T00:01:00Z,1\n2024-01-01T00:03:00Z,1\n", 4, "gap"),
                new Bad("rows 2^31-1 s apart", h + "2000-01-01T00:00:00Z,1\n2068-01-19T03:14:07Z,1\n", 3, "at most 86400 s"),
                new Bad("step of a day and a second", h + "2024-01-01T00:00:00Z,1\n2024-01-02T00:00:01Z,1\n", 3, "at most 86400 s"),
                new Bad("timestamp in milliseconds", h + "1704067200000,1\n1704067260000,1\n", 2, "ISO-8601"),
                new Bad("year beyond 9999", h + "+10000-01-01T00:00:00Z,1\n+10000-01-01T00:01:00Z,1\n", 2, "0001 to 9999"),
                new Bad("year a billion", h + R1 + "+1000000000-12-31T23:59:59Z,1\n", 3, "0001 to 9999"),
                new Bad("negative year", h + "-0001-01-01T00:00:00Z,1\n-0001-01-01T00:01:00Z,1\n", 2, "0001 to 9999"),
                new Bad("date without a time", h + "2024-01-01,1\n2024-01-02,1\n", 2, "ISO-8601"),
                new Bad("space instead of T", h + "2024-01-01 00:00:00Z,1\n2024-01-01 00:01:00Z,1\n", 2, "ISO-8601"),
                new Bad("fractional second", h + "2024-01-01T00:00:00.5Z,1\n2024-01-01T00:01:00Z,1\n", 2, "whole seconds"),
                new Bad("time goes back", h + "2024-01-01T00:00:00Z,1\n2024-01-01T00:01:00Z,1\n2024-01-01T00:00:30Z,1\n", 4, "does not increase"),
                new Bad("repeated time", h + "2024-01-01T00:00:00Z,1\n2024-01-01T00:00:00Z,1\n", 3, "does not increase"),
                new Bad("extra column", h + "2024-01-01T00:00:00Z,1,2\n", 2, "expected"),
                new Bad("blank line", h + "2024-01-01T00:00:00Z,1\n\n2024-01-01T00:01:00Z,1\n", 3, "blank"),
                new Bad("blank line at the end", h + "2024-01-01T00:00:00Z,1\n2024-01-01T00:01:00Z,1\n\n", 4, "blank"),
                new Bad("one row", h + "2024-01-01T00:00:00Z,1\n", 2, "at least two rows"));
    }

    private static String longTrace(int rows) {
        StringBuilder sb = new StringBuilder();
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        for (int i = 0; i < rows; i++) {
            sb.append(t.plusSeconds(10L * i)).append(',').append(i).append('\n');
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTraces")
    void badRowsAreErrorsNamingFileAndLine(Bad c) throws IOException {
        Path f = dir.resolve("t.csv");
        Files.write(f, c.csv().getBytes(c.bytes() ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
        BadInputException e = assertThrows(BadInputException.class, () -> TraceReader.read(f));
        assertTrue(e.getMessage().startsWith(f + ":" + c.line() + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(c.says()), e.getMessage());
    }

    /** Accepted forms: each file's rows must read back as {@code 1, 2.5}. */
    static Stream<String[]> goodForms() {
        return Stream.of(
                new String[] {"byte-order mark and CRLF", "\uFEFFtimestamp,events_per_second\r\n2024-01-01T00:00:00Z,1\r\n2024-01-01T00:01:00Z,2.5\r\n"},
                new String[] {"exponent form", H + "2024-01-01T00:00:00Z,1e0\n2024-01-01T00:01:00Z,25E-1\n"},
                new String[] {"spaces around fields, no final newline", H + " 2024-01-01T00:00:00Z , 1 \n2024-01-01T00:01:00Z,  2.50"},
                new String[] {"leading zeros", H + "2024-01-01T00:00:00Z,001\n2024-01-01T00:01:00Z,02.5\n"});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodForms")
    void readsPlainDecimalForms(String name, String csv) throws IOException {
        Path f = dir.resolve("ok.csv");
        Files.writeString(f, csv);
        assertArrayEquals(new double[] {1, 2.5}, TraceReader.read(f).rates(), name);
    }

    @Test
    void negativeZeroReadsAsZero() throws IOException {
        Path f = dir.resolve("z.csv");
        Files.writeString(f, H + "2024-01-01T00:00:00Z,-0\n2024-01-01T00:01:00Z,0.0\n");
        double r = TraceReader.read(f).rates()[0];
        assertEquals(0, Double.compare(0.0, r), "got " + r);
    }

    @Test
    void aFolderReportsEveryBadFileWithItsLine() throws IOException {
        Files.writeString(dir.resolve("a-good.csv"), H + R1 + "2024-01-01T00:01:00Z,1\n");
        Files.writeString(dir.resolve("b-bad.csv"), H + R1 + "2024-01-01T00:01:00Z,1d\n");
        Files.write(dir.resolve("c-bad.csv"), (H + "2024-01-01T00:00:00Z,\u00FF\n").getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(dir.resolve("d-bad.csv"), "time,rate\n");
        BadInputException e = assertThrows(BadInputException.class, () -> TraceReader.readAll(List.of(dir)));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith(dir.resolve("b-bad.csv") + ":3:"), e.getMessage());
        assertTrue(e.problems().get(1).startsWith(dir.resolve("c-bad.csv") + ":2:"), e.getMessage());
        assertTrue(e.problems().get(2).startsWith(dir.resolve("d-bad.csv") + ":1:"), e.getMessage());
        assertTrue(e.getMessage().startsWith("3 problems:"), e.getMessage());
    }

    @Test
    void readsRatesAndStep() throws IOException {
        Path f = dir.resolve("AAPL.csv");
        Files.writeString(f, "timestamp,events_per_second\n2015-02-26T21:42:53Z,0.5\n2015-02-26T21:47:53Z,0\n2015-02-26T21:52:53Z,2.25\n");
        Trace t = TraceReader.read(f);
        assertEquals("AAPL", t.name());
        assertEquals(300, t.stepSeconds());
        assertEquals(Instant.parse("2015-02-26T21:42:53Z"), t.start());
        assertArrayEquals(new double[] {0.5, 0, 2.25}, t.rates());
    }

    @Test
    void folderIsAFleetInNameOrderAndIgnoresOtherFiles() throws IOException {
        for (String n : List.of("b.csv", "a.csv")) {
            Files.writeString(dir.resolve(n), "timestamp,events_per_second\n2024-01-01T00:00:00Z,1\n2024-01-01T00:01:00Z,1\n");
        }
        Files.writeString(dir.resolve("a.md"), "provenance");
        List<Trace> ts = TraceReader.readAll(List.of(dir));
        assertEquals(List.of("a", "b"), ts.stream().map(Trace::name).toList());
    }

    @Test
    void badRowInAFleetNamesItsFile() throws IOException {
        Files.writeString(dir.resolve("good.csv"), "timestamp,events_per_second\n2024-01-01T00:00:00Z,1\n2024-01-01T00:01:00Z,1\n");
        Files.writeString(dir.resolve("worse.csv"), "timestamp,events_per_second\n2024-01-01T00:00:00Z,1\n2024-01-01T00:01:00Z,x\n");
        BadInputException e = assertThrows(BadInputException.class, () -> TraceReader.readAll(List.of(dir)));
        assertTrue(e.getMessage().startsWith(dir.resolve("worse.csv") + ":3:"), e.getMessage());
    }

    @Test
    void commentLinesBeforeTheHeaderAreProvenanceAndRowsKeepTheirLineNumbers() throws IOException {
        Path f = dir.resolve("orders.csv");
        Files.writeString(f, "# source: kafka\n# topic: orders\n" + H + R1 + "2024-01-01T00:01:00Z,7\n");
        Trace t = TraceReader.read(f);
        assertArrayEquals(new double[] {1, 7}, t.rates());
        assertEquals(f + ":5", t.lineOf(1));
    }
}

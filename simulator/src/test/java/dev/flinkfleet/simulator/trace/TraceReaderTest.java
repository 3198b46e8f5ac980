package dev.flinkfleet.simulator.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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

    record Bad(String name, String csv, int line, String says) {
    }

    static Stream<Bad> badTraces() {
        String h = "timestamp,events_per_second\n";
        return Stream.of(
                new Bad("wrong header", "time,rate\n2024-01-01T00:00:00Z,1\n", 1, "header"),
                new Bad("empty file", "", 1, "empty"),
                new Bad("unparseable timestamp", h + "2024-01-01T00:00:00Z,1\nyesterday,2\n", 3, "ISO-8601"),
                new Bad("unparseable rate", h + "2024-01-01T00:00:00Z,1\n2024-01-01T00:01:00Z,lots\n", 3, "not a number"),
                new Bad("negative rate", h + "2024-01-01T00:00:00Z,1\n2024-01-01T00:01:00Z,-2\n", 3, ">= 0"),
                new Bad("NaN rate", h + "2024-01-01T00:00:00Z,NaN\n2024-01-01T00:01:00Z,2\n", 2, "finite"),
                new Bad("gap", h + "2024-01-01T00:00:00Z,1\n2024-01-01T00:01:00Z,1\n2024-01-01T00:03:00Z,1\n", 4, "gap"),
                new Bad("time goes back", h + "2024-01-01T00:00:00Z,1\n2024-01-01T00:01:00Z,1\n2024-01-01T00:00:30Z,1\n", 4, "does not increase"),
                new Bad("repeated time", h + "2024-01-01T00:00:00Z,1\n2024-01-01T00:00:00Z,1\n", 3, "does not increase"),
                new Bad("extra column", h + "2024-01-01T00:00:00Z,1,2\n", 2, "expected"),
                new Bad("blank line", h + "2024-01-01T00:00:00Z,1\n\n2024-01-01T00:01:00Z,1\n", 3, "blank"),
                new Bad("one row", h + "2024-01-01T00:00:00Z,1\n", 2, "at least two rows"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTraces")
    void badRowsAreErrorsNamingFileAndLine(Bad c) throws IOException {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, c.csv());
        BadInputException e = assertThrows(BadInputException.class, () -> TraceReader.read(f));
        assertTrue(e.getMessage().startsWith(f + ":" + c.line() + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(c.says()), e.getMessage());
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
}

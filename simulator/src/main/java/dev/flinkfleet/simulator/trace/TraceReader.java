package dev.flinkfleet.simulator.trace;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.flinkfleet.simulator.BadInputException;

/**
 * Reads {@code timestamp,events_per_second} CSV traces. Every bad row (unparseable, negative, a gap, time going
 * backwards) is an error naming the file and line: a trace with a silently dropped row would replay the wrong
 * traffic. A folder of traces reports every bad file, not just the first.
 *
 * <p>Rates are plain decimal numbers: digits, an optional fraction and an optional exponent ({@code 12},
 * {@code 0.5}, {@code 1e3}, {@code 2.5E-4}, as spreadsheets and pandas write them). Java's other number forms
 * ({@code 1d}, {@code 2f}, {@code 0x10p0}, {@code +7}, {@code Infinity}, {@code NaN}) are errors. Spaces around
 * a field are allowed; tabs and other control characters are not.
 *
 * <p>Lines starting with {@code #} before the header are comments (a recorded trace's provenance: source,
 * query, range, step); after the header every line is a row.
 */
public final class TraceReader {

    static final String HEADER = "timestamp,events_per_second";

    /** Most rows in one trace: 80 MB of rates (115 days at a 1 s step, 3 years at 10 s). */
    public static final int MAX_ROWS = 10_000_000;
    /** Longest trace step, seconds (one day): a longer one is almost always a unit mistake (ms for s). */
    public static final long MAX_STEP_SECONDS = 86_400;

    private static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("9999-12-31T23:59:59Z");
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    private TraceReader() {
    }

    /**
     * Traces from files and folders (a folder contributes its {@code *.csv} files), in name order per folder.
     * Every file is read; the problems of all bad files are thrown together.
     */
    public static List<Trace> readAll(List<Path> paths) {
        List<Trace> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path p : paths) {
            List<Path> files;
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    files = s.filter(f -> f.getFileName().toString().endsWith(".csv") && Files.isRegularFile(f)).sorted().toList();
                } catch (IOException e) {
                    problems.add(p + ": cannot list folder: " + e.getMessage());
                    continue;
                }
                if (files.isEmpty()) {
                    problems.add(p + ": folder has no .csv traces");
                }
            } else {
                files = List.of(p);
            }
            for (Path f : files) {
                try {
                    out.add(read(f));
                } catch (BadInputException e) {
                    problems.addAll(e.problems());
                }
            }
        }
        Map<String, String> names = new LinkedHashMap<>();
        for (Trace t : out) {
            String prev = names.putIfAbsent(t.name(), t.source());
            if (prev != null) {
                problems.add(t.source() + ": two traces are named '" + t.name() + "' (also " + prev
                        + "); job names come from file names and must be unique");
            }
        }
        if (!problems.isEmpty()) {
            throw BadInputException.of(problems);
        }
        return out;
    }

    public static Trace read(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return parse(file.getFileName().toString(), file.toString(), in);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read trace: " + e.getMessage(), e);
        }
    }

    /** Parses a trace; {@code where} names it in errors. */
    public static Trace parse(String fileName, String where, InputStream in) throws IOException {
        TraceLines lines = new TraceLines(in, where);
        String header = lines.next();
        while (header != null && header.startsWith("#")) {
            header = lines.next();
        }
        int headerLine = lines.lineNo();
        if (header == null) {
            throw new BadInputException(where + ":1: empty trace, expected header '" + HEADER + "'");
        }
        if (!header.strip().equals(HEADER)) {
            throw new BadInputException(where + ":" + headerLine + ": expected header '" + HEADER + "', got '" + header + "'");
        }
        double[] rates = new double[1024];
        int n = 0;
        Instant first = null;
        long prevEpoch = 0;
        long step = 0;
        String line;
        while ((line = lines.next()) != null) {
            int lineNo = lines.lineNo();
            String at = where + ":" + lineNo;
            if (line.isBlank()) {
                throw new BadInputException(at + ": blank line");
            }
            int comma = line.indexOf(',');
            if (comma < 0 || line.indexOf(',', comma + 1) >= 0) {
                throw new BadInputException(at + ": expected 'timestamp,events_per_second', got '" + line + "'");
            }
            Instant ts = timestamp(line.substring(0, comma), at + ":1");
            double v = rate(line.substring(comma + 1), at + ":" + (comma + 2));
            long epoch = ts.getEpochSecond();
            if (first == null) {
                first = ts;
            } else {
                long d = epoch - prevEpoch;
                if (d <= 0) {
                    throw new BadInputException(at + ": time does not increase (" + ts + " after " + Instant.ofEpochSecond(prevEpoch) + ")");
                }
                if (step == 0) {
                    if (d > MAX_STEP_SECONDS) {
                        throw new BadInputException(at + ": step of " + d + " s between the first two rows; a trace step is at most "
                                + MAX_STEP_SECONDS + " s (one day); are the timestamps in the right unit?");
                    }
                    step = d;
                } else if (d != step) {
                    throw new BadInputException(at + ": step of " + d + " s where the trace's step is " + step
                            + " s (a gap or an irregular row at " + ts + "); fill or cut the trace");
                }
            }
            prevEpoch = epoch;
            if (n == MAX_ROWS) {
                throw new BadInputException(at + ": more than " + MAX_ROWS + " rows; cut the trace or use a longer step");
            }
            if (n == rates.length) {
                rates = Arrays.copyOf(rates, (int) Math.min(MAX_ROWS, 2L * n));
            }
            rates[n++] = v;
        }
        if (n < 2) {
            throw new BadInputException(where + ":" + lines.lineNo() + ": a trace needs at least two rows to define its step, got " + n);
        }
        String name = fileName.endsWith(".csv") ? fileName.substring(0, fileName.length() - 4) : fileName;
        return new Trace(name, fileName, first, (int) step, Arrays.copyOf(rates, n), where, headerLine);
    }

    private static Instant timestamp(String field, String at) {
        String text = trimSpaces(field);
        Instant ts;
        try {
            ts = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadInputException(at + ": timestamp is not ISO-8601 UTC (e.g. 2024-01-01T00:00:00Z): '" + field + "'");
        }
        if (ts.getNano() != 0) {
            throw new BadInputException(at + ": timestamps must be whole seconds, got " + ts);
        }
        if (ts.isBefore(FIRST) || ts.isAfter(LAST)) {
            // Beyond four-digit years the simulated clock's milliseconds would overflow a long.
            throw new BadInputException(at + ": timestamp outside the years 0001 to 9999: '" + field + "'");
        }
        return ts;
    }

    /** A plain decimal number >= 0; see the class comment for what that admits. */
    static double rate(String field, String at) {
        String text = trimSpaces(field);
        if (!PLAIN_DECIMAL.matcher(text).matches()) {
            throw new BadInputException(at + ": events_per_second is not a plain decimal number (digits, optional fraction and"
                    + " exponent, e.g. 12, 0.5, 1e3): '" + field + "'");
        }
        double v = Double.parseDouble(text);
        if (Double.isInfinite(v)) {
            throw new BadInputException(at + ": events_per_second is beyond the range of a double: '" + field + "'");
        }
        if (v < 0) {
            throw new BadInputException(at + ": events_per_second must be >= 0, got " + text);
        }
        return v + 0.0; // -0 reads as 0
    }

    private static String trimSpaces(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && s.charAt(b) == ' ') {
            b++;
        }
        while (e > b && s.charAt(e - 1) == ' ') {
            e--;
        }
        return s.substring(b, e);
    }
}

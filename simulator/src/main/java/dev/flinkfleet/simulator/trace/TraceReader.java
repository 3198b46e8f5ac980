package dev.flinkfleet.simulator.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.flinkfleet.simulator.BadInputException;

/**
 * Reads {@code timestamp,events_per_second} CSV traces. Every bad row (unparseable, negative, a gap, time going
 * backwards) is an error naming the file and line: a trace with a silently dropped row would replay the wrong
 * traffic.
 */
public final class TraceReader {

    static final String HEADER = "timestamp,events_per_second";

    private TraceReader() {
    }

    /** Traces from files and folders (a folder contributes its {@code *.csv} files), in name order per folder. */
    public static List<Trace> readAll(List<Path> paths) {
        List<Trace> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                List<Path> files;
                try (Stream<Path> s = Files.list(p)) {
                    files = s.filter(f -> f.getFileName().toString().endsWith(".csv") && Files.isRegularFile(f)).sorted().toList();
                } catch (IOException e) {
                    throw new BadInputException(p + ": cannot list folder: " + e.getMessage(), e);
                }
                if (files.isEmpty()) {
                    throw new BadInputException(p + ": folder has no .csv traces");
                }
                for (Path f : files) {
                    out.add(read(f));
                }
            } else {
                out.add(read(p));
            }
        }
        List<String> names = new ArrayList<>();
        for (Trace t : out) {
            if (names.contains(t.name())) {
                throw new BadInputException("two traces are named '" + t.name() + "'; job names come from file names and must be unique");
            }
            names.add(t.name());
        }
        return out;
    }

    public static Trace read(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.getFileName().toString(), file.toString(), r);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read trace: " + e.getMessage(), e);
        }
    }

    /** Parses a trace; {@code where} names it in errors. */
    public static Trace parse(String fileName, String where, BufferedReader r) throws IOException {
        String header = r.readLine();
        if (header == null) {
            throw new BadInputException(where + ":1: empty trace, expected header '" + HEADER + "'");
        }
        if (!header.strip().replace("\uFEFF", "").equals(HEADER)) {
            throw new BadInputException(where + ":1: expected header '" + HEADER + "', got '" + header + "'");
        }
        double[] rates = new double[1024];
        int n = 0;
        Instant first = null;
        long prevEpoch = 0;
        long step = 0;
        String line;
        int lineNo = 1;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                throw new BadInputException(where + ":" + lineNo + ": blank line");
            }
            int comma = line.indexOf(',');
            if (comma < 0 || line.indexOf(',', comma + 1) >= 0) {
                throw new BadInputException(where + ":" + lineNo + ": expected 'timestamp,events_per_second', got '" + line + "'");
            }
            Instant ts;
            try {
                ts = Instant.parse(line.substring(0, comma).strip());
            } catch (DateTimeParseException e) {
                throw new BadInputException(where + ":" + lineNo + ": timestamp is not ISO-8601 UTC (e.g. 2024-01-01T00:00:00Z): '" + line.substring(0, comma) + "'");
            }
            double v;
            try {
                v = Double.parseDouble(line.substring(comma + 1).strip());
            } catch (NumberFormatException e) {
                throw new BadInputException(where + ":" + lineNo + ": events_per_second is not a number: '" + line.substring(comma + 1) + "'");
            }
            if (!Double.isFinite(v) || v < 0) {
                throw new BadInputException(where + ":" + lineNo + ": events_per_second must be a finite number >= 0, got " + v);
            }
            long epoch = ts.getEpochSecond();
            if (ts.getNano() != 0) {
                throw new BadInputException(where + ":" + lineNo + ": timestamps must be whole seconds, got " + ts);
            }
            if (first == null) {
                first = ts;
            } else {
                long d = epoch - prevEpoch;
                if (d <= 0) {
                    throw new BadInputException(where + ":" + lineNo + ": time does not increase (" + ts + " after " + Instant.ofEpochSecond(prevEpoch) + ")");
                }
                if (step == 0) {
                    step = d;
                } else if (d != step) {
                    throw new BadInputException(where + ":" + lineNo + ": step of " + d + " s where the trace's step is " + step
                            + " s (a gap or an irregular row at " + ts + "); fill or cut the trace");
                }
            }
            prevEpoch = epoch;
            if (n == rates.length) {
                rates = java.util.Arrays.copyOf(rates, n * 2);
            }
            rates[n++] = v;
        }
        if (n < 2) {
            throw new BadInputException(where + ":" + lineNo + ": a trace needs at least two rows to define its step, got " + n);
        }
        if (step > Integer.MAX_VALUE) {
            throw new BadInputException(where + ": step too large: " + step + " s");
        }
        String name = fileName.endsWith(".csv") ? fileName.substring(0, fileName.length() - 4) : fileName;
        return new Trace(name, fileName, first, (int) step, java.util.Arrays.copyOf(rates, n));
    }
}

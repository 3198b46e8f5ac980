package dev.flinkfleet.autoscaler.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import dev.flinkfleet.autoscaler.record.RecordException;
import picocli.CommandLine.Option;

/** The range, step and output file of {@code trace record kafka|prometheus}. */
final class RecordRangeOptions {

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
            description = "Trace file to write (e.g. traces/orders.csv; the job is named after the file). Written whole or not at all.")
    Path output;

    @Option(names = "--step", defaultValue = "60s", paramLabel = "DURATION",
            description = "Length of one row, whole seconds (default: ${DEFAULT-VALUE}).")
    String step;

    @Option(names = "--from", paramLabel = "TIME", description = "Start, ISO-8601 UTC, e.g. 2026-11-23T00:00:00Z.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "End, ISO-8601 UTC (default: the last whole step before now).")
    String to;

    @Option(names = "--last", paramLabel = "DURATION", description = "Start this long before the end, e.g. 7d (instead of --from).")
    String last;

    Duration step() {
        return duration("--step", step);
    }

    Optional<Instant> to() {
        return Optional.ofNullable(to).map(t -> instant("--to", t));
    }

    /** --from, or --to (else {@code defaultEnd}) minus --last; empty when neither is given. */
    Optional<Instant> from(Instant defaultEnd) {
        if (from != null && last != null) {
            throw new RecordException("give --from or --last, not both");
        }
        if (from != null) {
            return Optional.of(instant("--from", from));
        }
        if (last != null) {
            return Optional.of(to().orElse(defaultEnd).minus(duration("--last", last)));
        }
        return Optional.empty();
    }

    private static Instant instant(String option, String text) {
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new RecordException(option + ": not an ISO-8601 UTC time (e.g. 2026-11-23T00:00:00Z): '" + text + "'");
        }
    }

    private static Duration duration(String option, String text) {
        try {
            return Durations.parse(option, text);
        } catch (IllegalArgumentException e) {
            throw new RecordException(e.getMessage());
        }
    }
}

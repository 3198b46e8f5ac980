package dev.flinkfleet.policies.governor;

import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TimeZone;

import org.quartz.CronExpression;
import org.quartz.impl.calendar.DailyCalendar;

/**
 * Time windows in which no scale-down happens, written as the Flink operator's autoscaler writes
 * {@code job.autoscaler.excluded.periods}, so a setting can be copied over unchanged. Each expression is a
 * Quartz cron expression (6 or 7 fields; it matches every second it is satisfied, so {@code * * 9-11 * * ?} is
 * 9:00:00 to 11:59:59), a daily range {@code H:mm[:ss]-H:mm[:ss]} (for windows that do not start or end on the
 * hour), or one of each joined by {@code &&} (both must match: {@code 9:30-10:50 && * * * ? * 2,5} is that range
 * on Mondays and Thursdays). Times are read in {@code zone} (the operator uses its JVM's default zone).
 * Immutable; Quartz objects are built per call because they are neither immutable nor thread-safe.
 *
 * @param expressions the expressions, each already checked
 * @param zone        the time zone the expressions are read in
 */
public record ExcludedPeriods(List<String> expressions, ZoneId zone) {

    public static final ExcludedPeriods NONE = new ExcludedPeriods(List.of(), ZoneId.of("UTC"));

    public ExcludedPeriods {
        expressions = List.copyOf(expressions);
        Objects.requireNonNull(zone, "zone");
        List<String> problems = new ArrayList<>();
        for (String e : expressions) {
            problem(e).ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /**
     * Parses expressions; an entry holding several expressions separated by ';' (the operator's list syntax in a
     * Flink config string) is split. Throws {@link IllegalArgumentException} naming every bad expression.
     */
    public static ExcludedPeriods parse(List<String> entries, ZoneId zone) {
        List<String> all = new ArrayList<>();
        for (String entry : entries) {
            for (String e : entry.split(";")) {
                if (!e.isBlank()) {
                    all.add(e.strip());
                }
            }
        }
        return new ExcludedPeriods(all, zone);
    }

    public boolean isEmpty() {
        return expressions.isEmpty();
    }

    /** The first expression that covers {@code now}, if any. */
    public Optional<String> covering(Instant now) {
        for (String e : expressions) {
            if (covers(e, now)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    private boolean covers(String expression, Instant now) {
        for (String part : expression.split("&&")) {
            String p = part.strip();
            DailyCalendar daily = daily(p);
            if (daily != null) {
                daily.setTimeZone(TimeZone.getTimeZone(zone));
            }
            boolean in = daily != null ? daily.isTimeIncluded(now.toEpochMilli()) : cron(p).isSatisfiedBy(java.util.Date.from(now));
            if (!in) {
                return false;
            }
        }
        return true;
    }

    /** What is wrong with one expression, or empty. */
    static Optional<String> problem(String expression) {
        String[] parts = expression.split("&&");
        if (parts.length > 2 || expression.isBlank()) {
            return Optional.of("'" + expression + "' is not a cron expression, a daily range, or one of each joined by &&");
        }
        int daily = 0;
        int cron = 0;
        for (String part : parts) {
            String p = part.strip();
            if (daily(p) != null) {
                daily++;
            } else if (CronExpression.isValidExpression(p)) {
                cron++;
            } else {
                return Optional.of("'" + p + "' in '" + expression + "' is neither a daily range (H:mm[:ss]-H:mm[:ss]) nor a Quartz "
                        + "cron expression (6 or 7 fields, e.g. * * 9-11 * * ?)");
            }
        }
        if (daily > 1 || cron > 1) {
            return Optional.of("'" + expression + "' joins two expressions of the same kind; join a daily range and a cron expression");
        }
        return Optional.empty();
    }

    /** A daily range, included between its start and end (Quartz's DailyCalendar inverted, as the operator does), or null. */
    private static DailyCalendar daily(String p) {
        String[] split = p.split("-");
        if (split.length != 2) {
            return null;
        }
        try {
            DailyCalendar c = new DailyCalendar(split[0].strip(), split[1].strip());
            c.setInvertTimeRange(true);
            return c;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private CronExpression cron(String p) {
        try {
            CronExpression c = new CronExpression(p);
            c.setTimeZone(TimeZone.getTimeZone(zone));
            return c;
        } catch (ParseException e) {
            throw new IllegalStateException("checked at construction: " + p, e);
        }
    }
}

package dev.flinkfleet.policies.governor;

import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
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
 * Immutable value (equal by expressions and zone). The Quartz objects are parsed once; Quartz does not promise
 * they are thread-safe, so each is used under its own lock (a few microseconds).
 */
public final class ExcludedPeriods {

    public static final ExcludedPeriods NONE = new ExcludedPeriods(List.of(), ZoneId.of("UTC"));

    private final List<String> expressions;
    private final ZoneId zone;
    /** Per expression, its parts (a DailyCalendar or a CronExpression each), all of which must match. */
    private final List<List<Object>> compiled;

    /** Throws {@link IllegalArgumentException} naming every bad expression. */
    public ExcludedPeriods(List<String> expressions, ZoneId zone) {
        this.expressions = List.copyOf(expressions);
        this.zone = Objects.requireNonNull(zone, "zone");
        List<String> problems = new ArrayList<>();
        for (String e : this.expressions) {
            problem(e).ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        List<List<Object>> c = new ArrayList<>();
        for (String e : this.expressions) {
            List<Object> parts = new ArrayList<>(2);
            for (String part : e.split("&&")) {
                String p = part.strip();
                DailyCalendar daily = daily(p);
                if (daily != null) {
                    daily.setTimeZone(TimeZone.getTimeZone(zone));
                    parts.add(daily);
                } else {
                    parts.add(cron(p, zone));
                }
            }
            c.add(List.copyOf(parts));
        }
        this.compiled = List.copyOf(c);
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

    public List<String> expressions() {
        return expressions;
    }

    public ZoneId zone() {
        return zone;
    }

    public boolean isEmpty() {
        return expressions.isEmpty();
    }

    /** The first expression that covers {@code now}, if any. */
    public Optional<String> covering(Instant now) {
        for (int i = 0; i < compiled.size(); i++) {
            if (covers(compiled.get(i), now)) {
                return Optional.of(expressions.get(i));
            }
        }
        return Optional.empty();
    }

    private static boolean covers(List<Object> parts, Instant now) {
        for (Object part : parts) {
            boolean in;
            synchronized (part) {
                in = part instanceof DailyCalendar d ? d.isTimeIncluded(now.toEpochMilli()) : ((CronExpression) part).isSatisfiedBy(Date.from(now));
            }
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

    private static CronExpression cron(String p, ZoneId zone) {
        try {
            CronExpression c = new CronExpression(p);
            c.setTimeZone(TimeZone.getTimeZone(zone));
            return c;
        } catch (ParseException e) {
            throw new IllegalStateException("checked above: " + p, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExcludedPeriods e && expressions.equals(e.expressions) && zone.equals(e.zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expressions, zone);
    }

    @Override
    public String toString() {
        return "ExcludedPeriods" + expressions + " in " + zone;
    }
}

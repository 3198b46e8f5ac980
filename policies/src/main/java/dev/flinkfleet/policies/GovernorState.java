package dev.flinkfleet.policies;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the governor remembers between cycles. Small and serialisable to a string map, so the daemon can keep
 * it in an annotation on the FlinkDeployment and a restarted daemon keeps its cooldowns.
 *
 * @param lastScaleUpAt   when the job was last scaled up; null if never (as far as we know)
 * @param lastScaleDownAt when the job was last scaled down; null if never
 * @param history         recent recommendations (oldest first), for the scale-down stabilisation window
 * @param capacity        the per-worker capacity learned while the job was busy; null if none yet
 * @param profile         the job's traffic shape learned from its input; null if none yet
 * @param missingSince    since when a signal the policy needs has been missing without a break; null while
 *                        they are present (the governor's fallback-workers rule counts from it)
 */
public record GovernorState(Instant lastScaleUpAt, Instant lastScaleDownAt, List<Sample> history,
                            RememberedCapacity capacity, TrafficProfile profile, Instant missingSince) {

    /** Bound on remembered recommendations; keeps the annotation small whatever the window and interval. */
    public static final int MAX_HISTORY = 64;

    static final String KEY_LAST_UP = "last-scale-up";
    static final String KEY_LAST_DOWN = "last-scale-down";
    static final String KEY_HISTORY = "recommendations";
    static final String KEY_CAPACITY = "capacity-per-worker";
    static final String KEY_PROFILE = "traffic-profile";
    static final String KEY_MISSING_SINCE = "signals-missing-since";

    /** One remembered recommendation. */
    public record Sample(Instant at, int target) {
    }

    private static final GovernorState EMPTY = new GovernorState(null, null, List.of(), null, null, null);

    public GovernorState {
        history = List.copyOf(history);
    }

    /** Signals not known to be missing. */
    public GovernorState(Instant lastScaleUpAt, Instant lastScaleDownAt, List<Sample> history, RememberedCapacity capacity,
                         TrafficProfile profile) {
        this(lastScaleUpAt, lastScaleDownAt, history, capacity, profile, null);
    }

    /** Without a remembered capacity. */
    public GovernorState(Instant lastScaleUpAt, Instant lastScaleDownAt, List<Sample> history) {
        this(lastScaleUpAt, lastScaleDownAt, history, null, null);
    }

    /** Without a traffic profile. */
    public GovernorState(Instant lastScaleUpAt, Instant lastScaleDownAt, List<Sample> history, RememberedCapacity capacity) {
        this(lastScaleUpAt, lastScaleDownAt, history, capacity, null);
    }

    /** This state remembering {@code remembered} (null forgets). */
    public GovernorState withCapacity(RememberedCapacity remembered) {
        return remembered == capacity ? this : new GovernorState(lastScaleUpAt, lastScaleDownAt, history, remembered, profile, missingSince);
    }

    /** This state with the traffic profile {@code learned} (null forgets). */
    public GovernorState withProfile(TrafficProfile learned) {
        return learned == profile ? this : new GovernorState(lastScaleUpAt, lastScaleDownAt, history, capacity, learned, missingSince);
    }

    /** This state with the missing-signals clock: kept when already running and still missing, started or stopped otherwise. */
    public GovernorState withSignalsMissing(boolean missing, Instant now) {
        Instant since = missing ? (missingSince == null ? now : missingSince) : null;
        return java.util.Objects.equals(since, missingSince) ? this
                : new GovernorState(lastScaleUpAt, lastScaleDownAt, history, capacity, profile, since);
    }

    public static GovernorState empty() {
        return EMPTY;
    }

    /** The later of the last scale-up and scale-down, or null. */
    public Instant lastScaleAt() {
        if (lastScaleUpAt == null) {
            return lastScaleDownAt;
        }
        if (lastScaleDownAt == null) {
            return lastScaleUpAt;
        }
        return lastScaleUpAt.isAfter(lastScaleDownAt) ? lastScaleUpAt : lastScaleDownAt;
    }

    /** This state plus a recommendation at {@code at}, dropping samples older than {@code keep}. */
    public GovernorState withSample(Instant at, int target, Duration keep) {
        Instant cutoff = at.minus(keep);
        // Runs once per job per cycle: an array and one immutable copy, no intermediate list.
        Sample[] next = new Sample[history.size() + 1];
        int n = 0;
        for (Sample s : history) {
            if (!s.at().isBefore(cutoff) && !s.at().isAfter(at)) {
                next[n++] = s;
            }
        }
        next[n++] = new Sample(at, target);
        int from = Math.max(0, n - MAX_HISTORY);
        return new GovernorState(lastScaleUpAt, lastScaleDownAt, List.of(Arrays.copyOfRange(next, from, n)), capacity, profile, missingSince);
    }

    /** This state after a rescale from {@code from} to {@code to} workers was applied at {@code at}. */
    public GovernorState afterScale(Instant at, int from, int to) {
        if (to > from) {
            return new GovernorState(at, lastScaleDownAt, history, capacity, profile, missingSince);
        }
        if (to < from) {
            return new GovernorState(lastScaleUpAt, at, history, capacity, profile, missingSince);
        }
        return this;
    }

    /** Serialises to a small string map (annotation values). */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        if (lastScaleUpAt != null) {
            m.put(KEY_LAST_UP, lastScaleUpAt.toString());
        }
        if (lastScaleDownAt != null) {
            m.put(KEY_LAST_DOWN, lastScaleDownAt.toString());
        }
        if (!history.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (Sample s : history) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(s.at().getEpochSecond()).append(':').append(s.target());
            }
            m.put(KEY_HISTORY, sb.toString());
        }
        if (capacity != null) {
            m.put(KEY_CAPACITY, capacity.encode());
        }
        if (profile != null) {
            m.put(KEY_PROFILE, profile.encode());
        }
        if (missingSince != null) {
            m.put(KEY_MISSING_SINCE, missingSince.toString());
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * Parses what {@link #toMap()} wrote. Unknown keys are ignored (written by a newer version); malformed
     * values throw {@link IllegalArgumentException} naming the key, so the caller can hold the job instead of
     * forgetting a cooldown. A malformed remembered capacity or traffic profile is dropped instead: forgetting
     * either only brings back the hold or the reactive sizing it replaces.
     */
    public static GovernorState fromMap(Map<String, String> m) {
        Instant up = parseInstant(m, KEY_LAST_UP);
        Instant down = parseInstant(m, KEY_LAST_DOWN);
        List<Sample> history = new ArrayList<>();
        String h = m.get(KEY_HISTORY);
        if (h != null && !h.isBlank()) {
            for (String part : h.split(",")) {
                int colon = part.indexOf(':');
                try {
                    if (colon <= 0) {
                        throw new NumberFormatException("no ':'");
                    }
                    long sec = Long.parseLong(part.substring(0, colon).trim());
                    int target = Integer.parseInt(part.substring(colon + 1).trim());
                    if (target < 1) {
                        throw new NumberFormatException("target < 1");
                    }
                    history.add(new Sample(Instant.ofEpochSecond(sec), target));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("governor state key '" + KEY_HISTORY + "': bad entry '" + part + "' (" + e.getMessage() + ")", e);
                }
            }
            history.sort((a, b) -> a.at().compareTo(b.at()));
            while (history.size() > MAX_HISTORY) {
                history.remove(0);
            }
        }
        // A malformed missing-since is dropped too: the fallback then waits its full fallback-after again (later, never sooner).
        Instant missing;
        try {
            missing = parseInstant(m, KEY_MISSING_SINCE);
        } catch (IllegalArgumentException e) {
            missing = null;
        }
        return new GovernorState(up, down, history, RememberedCapacity.decode(m.get(KEY_CAPACITY)),
                TrafficProfile.decode(m.get(KEY_PROFILE)), missing);
    }

    private static Instant parseInstant(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(v.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("governor state key '" + key + "': not an ISO-8601 instant: '" + v + "'", e);
        }
    }
}

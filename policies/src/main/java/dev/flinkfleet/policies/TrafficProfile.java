package dev.flinkfleet.policies;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * A job's traffic shape, learned online from its own fresh input rate: the mean of log(1 + rate) in each
 * five-minute bucket of the day (UTC), how far the samples spread around it and the highest, an offset per day of
 * the week, and the peaks of the last two hours.
 * Bounded (about 2.9 KB encoded, whatever the history) and kept in the
 * {@link GovernorState}, so a restarted daemon keeps it. Immutable: {@link #observe} returns a new profile.
 *
 * <p>Log space makes the shape a ratio (a busier Tuesday is the same curve, higher) and 1 + rate keeps an idle
 * job's zeros finite. Each bucket's mean is an average over about the last week of its samples; the
 * day-of-week offsets over about the last week of each day.
 *
 * <p>It also remembers how far the input has lately jumped past what came before it (the <em>surprise</em>):
 * the rise of a five-minute bucket's peak over the previous bucket's, less the rise the shape foresaw, as a log
 * ratio, kept as a maximum that decays with a {@link #SURPRISE_DECAY_SECONDS} time constant. A smooth job's
 * surprise stays near 0 (ratio 1); a job whose input leaps tenfold at random times keeps a large one for hours
 * after each leap, because leaps come in clusters.
 */
public final class TrafficProfile {

    /** Width of a time-of-day bucket. */
    public static final int BUCKET_SECONDS = 300;
    /** Buckets in a day. */
    public static final int BUCKETS = 86_400 / BUCKET_SECONDS;
    /** A day-shaped memory needs a day of history before it forecasts anything. */
    public static final long WARM_SECONDS = 86_400;
    /** Days of samples each bucket averages over, once that many are seen: a week, so each weekday counts once. */
    static final int MEMORY_DAYS = 7;
    /** Samples further apart than this do not tell the cycle's spacing (a gap in the data). */
    static final long MAX_GAP_SECONDS = 2L * BUCKET_SECONDS;
    /** Fixed-point scale of the encoded log-rates: 1e-3 in log space is a 0.1 % rate difference. */
    private static final double SCALE = 1000;
    private static final byte VERSION = 2;
    /** The layout before the surprise was kept: still read, with no surprise. */
    private static final byte VERSION_1 = 1;
    private static final int MAX_COUNT = 255;
    /** Five-minute buckets of recent peaks kept: two hours, longer than any payback the policies wait for. */
    public static final int RECENT = 24;
    private static final short EMPTY = -1;
    private static final int V1_BYTES = 1 + BUCKETS * 7 + 7 * 6 + 8 + 8 + RECENT * 2;
    private static final int ENCODED_BYTES = V1_BYTES + 2 + 8;
    /**
     * Time constant of the surprise's decay: the recent window ({@link #RECENT} buckets, two hours), the span over
     * which the profile already treats the recent past as a forecast of the near future.
     */
    public static final long SURPRISE_DECAY_SECONDS = (long) RECENT * BUCKET_SECONDS;

    private final short[] level;      // log(1 + rate) × SCALE, per time-of-day bucket
    private final short[] spread;     // standard deviation of log(1 + rate) around the mean × SCALE, per bucket
    private final short[] highest;    // highest log(1 + rate) × SCALE ever seen in each bucket
    private final byte[] count;       // samples each bucket's mean stands on, up to a week's (unsigned)
    private final short[] weekday;    // log offset × SCALE per ISO day of week (Monday = 0)
    private final int[] weekdayCount;   // samples behind each offset, capped
    private final long firstAt;       // epoch seconds of the first sample
    private final long lastAt;        // epoch seconds of the last sample
    private final short[] recent;     // highest log(1 + rate) × SCALE in each of the last RECENT buckets, by
                                      // absolute bucket number mod RECENT; EMPTY where none was seen
    private final short surprise;     // decayed highest unforeseen log rise × SCALE, as of surpriseAt
    private final long surpriseAt;    // epoch seconds the surprise was last raised

    private TrafficProfile(short[] level, short[] spread, short[] highest, byte[] count, short[] weekday, int[] weekdayCount, long firstAt, long lastAt,
                           short[] recent, short surprise, long surpriseAt) {
        this.level = level;
        this.spread = spread;
        this.highest = highest;
        this.count = count;
        this.weekday = weekday;
        this.weekdayCount = weekdayCount;
        this.firstAt = firstAt;
        this.lastAt = lastAt;
        this.recent = recent;
        this.surprise = surprise;
        this.surpriseAt = surpriseAt;
    }

    /** A profile that has seen one sample, {@code rate} at {@code at}. */
    public static TrafficProfile first(Instant at, double rate) {
        TrafficProfile empty = new TrafficProfile(new short[BUCKETS], new short[BUCKETS], new short[BUCKETS], new byte[BUCKETS], new short[7], new int[7],
                at.getEpochSecond(), Long.MIN_VALUE, emptyRecent(), (short) 0, at.getEpochSecond());
        return empty.observe(at, rate);
    }

    /**
     * {@code state} with this cycle's input folded into its profile, when the input rate is fresh and measured
     * (never an estimate, never stale: the shape must be the job's own traffic). Otherwise {@code state}.
     */
    public static GovernorState learn(GovernorState state, Signals s, Instant now) {
        Measurement in = s.inputRate();
        if (!in.isFresh() || !(in.value() >= 0) || !Double.isFinite(in.value())) {
            return state;
        }
        TrafficProfile p = state.profile();
        return state.withProfile(p == null ? first(now, in.value()) : p.observe(now, in.value()));
    }

    /** This profile with {@code rate} (events/s) seen at {@code at}; a sample not after the last is ignored. */
    public TrafficProfile observe(Instant at, double rate) {
        long t = at.getEpochSecond();
        if (t <= lastAt || !(rate >= 0) || !Double.isFinite(rate)) {
            return this;
        }
        double y = Math.log1p(rate);
        long gap = lastAt == Long.MIN_VALUE ? Long.MAX_VALUE : t - lastAt;
        boolean continuous = gap <= MAX_GAP_SECONDS;
        // Samples per bucket per day, from the cycle's spacing; without a spacing yet, one.
        double perBucketDay = continuous ? Math.max(1, (double) BUCKET_SECONDS / gap) : 1;

        short[] lv = level.clone();
        short[] sp = spread.clone();
        short[] hi = highest.clone();
        byte[] cn = count.clone();
        short[] wd = weekday;
        int[] wc = weekdayCount;
        int b = bucket(t);
        int d = dayOfWeek(t);
        double residual = y - lv[b] / SCALE;
        // A running mean until a week of samples, then an exponential average over about a week; the count
        // stops there, so it is also the number of samples the mean stands on.
        int n = (int) Math.min(Byte.toUnsignedInt(cn[b]) + 1L, Math.max(1, Math.min(MAX_COUNT, Math.round(MEMORY_DAYS * perBucketDay))));
        double w = 1.0 / n;
        lv[b] = fixed(lv[b] / SCALE + w * residual);
        hi[b] = (short) Math.max(hi[b], fixed(y));
        double sd = sp[b] / SCALE;
        sp[b] = fixed(Math.sqrt(Math.max(0, sd * sd + w * (residual * (y - lv[b] / SCALE) - sd * sd))));
        cn[b] = (byte) n;
        if (Byte.toUnsignedInt(count[b]) > 0) {
            // The weekday offset is how this day's samples sit against the buckets' means (seen before today).
            wd = weekday.clone();
            wc = weekdayCount.clone();
            // About the last two occurrences of this weekday's samples.
            int nd = (int) Math.min(wc[d] + 1L, 2 * perBucketDay * BUCKETS);
            double wdw = 1.0 / nd;
            wd[d] = fixed(wd[d] / SCALE + wdw * (residual - wd[d] / SCALE));
            wc[d] = nd;
        }

        short[] rc = withRecent(t, y);
        // The surprise: how far this bucket's peak rose over the previous bucket's beyond what the shape foresaw
        // for that step (0 while cold); a data gap (empty previous bucket) tells nothing.
        short sur = surprise;
        long surAt = surpriseAt;
        long k = Math.floorDiv(t, BUCKET_SECONDS);
        short prev = rc[(int) Math.floorMod(k - 1, (long) RECENT)];
        if (prev != EMPTY && lastAt != Long.MIN_VALUE && Math.floorDiv(lastAt, BUCKET_SECONDS) >= k - 1) {
            long prevAt = t - BUCKET_SECONDS;
            double foreseen = warmAt(t) && warmAt(prevAt) ? Math.max(0, expectedLog(t) - expectedLog(prevAt)) : 0;
            double rise = rc[(int) Math.floorMod(k, (long) RECENT)] / SCALE - prev / SCALE - foreseen;
            double now = surpriseAt(t);
            if (rise > now) {
                sur = fixed(rise);
                surAt = t;
            }
        }
        return new TrafficProfile(lv, sp, hi, cn, wd, wc, firstAt, t, rc, sur, surAt);
    }

    /**
     * The highest input the shape expects from {@code now} to {@code now + horizonSeconds}, given that the input
     * is {@code rate} now: rate scaled (in 1 + rate space) by how much busier the busiest coming bucket is than
     * this one, less two standard errors; never below {@code rate}. Just {@code rate} while the profile is cold (less than a day of history,
     * or a bucket in the window never seen).
     */
    public double peak(Instant now, double horizonSeconds, double rate) {
        long t = now.getEpochSecond();
        long end = t + (long) Math.ceil(Math.max(0, horizonSeconds));
        if (!warmAt(t)) {
            return rate;
        }
        double here = expectedLog(t);
        double hereError = standardError(t);
        double rise = 0;
        for (long at = t - Math.floorMod(t, BUCKET_SECONDS) + BUCKET_SECONDS; at <= end; at += BUCKET_SECONDS) {
            if (!warmAt(at)) {
                return rate;
            }
            // Only a rise the history makes significant: two standard errors of the difference of the two means
            // below what it shows (a bucket seen on one noisy day says little; the busiest of several noisy
            // buckets is biased high).
            double err = Math.hypot(hereError, standardError(at));
            rise = Math.max(rise, expectedLog(at) - here - 2 * err);
        }
        return Math.max(rate, (1 + rate) * Math.exp(rise) - 1);
    }

    private static short[] emptyRecent() {
        short[] r = new short[RECENT];
        Arrays.fill(r, EMPTY);
        return r;
    }

    /** The recent peaks with {@code y} seen at {@code t}: buckets skipped since the last sample are emptied. */
    private short[] withRecent(long t, double y) {
        short[] r = recent.clone();
        long k = Math.floorDiv(t, BUCKET_SECONDS);
        long last = lastAt == Long.MIN_VALUE ? k - RECENT : Math.floorDiv(lastAt, BUCKET_SECONDS);
        for (long j = Math.max(last + 1, k - RECENT + 1); j <= k; j++) {
            r[(int) Math.floorMod(j, (long) RECENT)] = EMPTY;
        }
        int i = (int) Math.floorMod(k, (long) RECENT);
        r[i] = (short) Math.max(r[i], fixed(y));
        return r;
    }

    /**
     * The highest input seen in the five-minute buckets that overlap the last {@code seconds} before {@code now}
     * (at most {@link #RECENT} buckets), events/s; NaN when none was seen. The recent past as a forecast of the
     * near future: a window as long as the last one is likely to be as busy.
     */
    public double recentPeak(Instant now, double seconds) {
        long k = Math.floorDiv(now.getEpochSecond(), BUCKET_SECONDS);
        long last = lastAt == Long.MIN_VALUE ? Long.MIN_VALUE : Math.floorDiv(lastAt, BUCKET_SECONDS);
        int span = (int) Math.min(RECENT - 1, Math.ceil(Math.max(0, seconds) / BUCKET_SECONDS));
        short best = EMPTY;
        for (long j = k - span; j <= k; j++) {
            if (j <= last && j > last - RECENT) {
                best = (short) Math.max(best, recent[(int) Math.floorMod(j, (long) RECENT)]);
            }
        }
        return best == EMPTY ? Double.NaN : Math.expm1(best / SCALE);
    }

    /**
     * The high end of what the history shows from {@code now} to {@code now + horizonSeconds}: the largest bucket
     * mean plus two of its standard deviations, but no more than the bucket's highest sample, as events/s; NaN
     * while cold. Bursts at this time of day, as the
     * job has had them.
     */
    public double high(Instant now, double horizonSeconds) {
        long t = now.getEpochSecond();
        long end = t + (long) Math.ceil(Math.max(0, horizonSeconds));
        double best = Double.NaN;
        for (long at = t; at <= end; at = at - Math.floorMod(at, BUCKET_SECONDS) + BUCKET_SECONDS) {
            if (!warmAt(at)) {
                return Double.NaN;
            }
            int b = bucket(at);
            // Never above what the bucket has actually seen: a mostly idle job's zeros spread the log so wide
            // that two deviations would reach far past its real bursts.
            double v = Math.min(expectedLog(at) + 2 * spread[b] / SCALE, highest[b] / SCALE);
            best = Double.isNaN(best) ? v : Math.max(best, v);
        }
        return Math.expm1(best);
    }

    /** The decayed surprise (a log ratio, ≥ 0) at {@code epochSecond}. */
    private double surpriseAt(long epochSecond) {
        double age = Math.max(0, epochSecond - surpriseAt);
        return surprise / SCALE * Math.exp(-age / SURPRISE_DECAY_SECONDS);
    }

    /**
     * How many times the input has lately leapt past what came before it and what the shape foresaw, decayed
     * with age ({@link #SURPRISE_DECAY_SECONDS}): a ratio in 1 + rate space, 1 for a job that has not leapt.
     * {@code (1 + forecast) × surprise − 1} is a jump of that size from a forecast.
     */
    public double surprise(Instant now) {
        return Math.exp(surpriseAt(now.getEpochSecond()));
    }

    /** Whether the profile can speak for the bucket of {@code epochSecond}: a day of history and a sample there. */
    boolean warmAt(long epochSecond) {
        return lastAt != Long.MIN_VALUE && lastAt - firstAt >= WARM_SECONDS && count[bucket(epochSecond)] != 0;
    }

    /** Whether the profile forecasts at all (a day of history). */
    public boolean warm() {
        return lastAt != Long.MIN_VALUE && lastAt - firstAt >= WARM_SECONDS;
    }

    /** Standard error of the bucket mean at {@code epochSecond}: its spread over the root of its samples. */
    private double standardError(long epochSecond) {
        int b = bucket(epochSecond);
        return spread[b] / SCALE / Math.sqrt(Math.max(1, Byte.toUnsignedInt(count[b])));
    }

    /** Expected log(1 + rate) at {@code epochSecond}: the bucket's mean plus the weekday's offset. */
    private double expectedLog(long epochSecond) {
        int d = dayOfWeek(epochSecond);
        double offset = weekdayCount[d] != 0 ? weekday[d] / SCALE : 0;
        return level[bucket(epochSecond)] / SCALE + offset;
    }

    private static int bucket(long epochSecond) {
        return (int) (Math.floorMod(epochSecond, 86_400L) / BUCKET_SECONDS);
    }

    /** ISO day of week, Monday = 0 (1970-01-01 was a Thursday). */
    private static int dayOfWeek(long epochSecond) {
        return (int) Math.floorMod(Math.floorDiv(epochSecond, 86_400L) + 3, 7L);
    }

    private static short fixed(double logValue) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(logValue * SCALE)));
    }

    /** Seconds of history behind this profile. */
    public long historySeconds() {
        return lastAt == Long.MIN_VALUE ? 0 : lastAt - firstAt;
    }

    /** The annotation value: base64 of a versioned fixed layout, about 2.9 KB. */
    String encode() {
        ByteBuffer buf = ByteBuffer.allocate(ENCODED_BYTES);
        buf.put(VERSION);
        for (short v : level) {
            buf.putShort(v);
        }
        for (short v : spread) {
            buf.putShort(v);
        }
        for (short v : highest) {
            buf.putShort(v);
        }
        buf.put(count);
        for (short v : weekday) {
            buf.putShort(v);
        }
        for (int c : weekdayCount) {
            buf.putInt(c);
        }
        buf.putLong(firstAt).putLong(lastAt);
        for (short v : recent) {
            buf.putShort(v);
        }
        buf.putShort(surprise).putLong(surpriseAt);
        return Base64.getEncoder().withoutPadding().encodeToString(buf.array());
    }

    /** What {@link #encode()} wrote, or null for absent or malformed values (forgetting only brings back cold start). */
    static TrafficProfile decode(String v) {
        if (v == null) {
            return null;
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(v.trim()));
            int size = buf.remaining();
            byte version = size > 0 ? buf.get() : 0;
            if (!(size == ENCODED_BYTES && version == VERSION) && !(size == V1_BYTES && version == VERSION_1)) {
                return null;
            }
            short[] lv = new short[BUCKETS];
            for (int i = 0; i < BUCKETS; i++) {
                lv[i] = buf.getShort();
            }
            short[] sp = new short[BUCKETS];
            for (int i = 0; i < BUCKETS; i++) {
                sp[i] = buf.getShort();
                if (sp[i] < 0) {
                    return null;
                }
            }
            short[] hi = new short[BUCKETS];
            for (int i = 0; i < BUCKETS; i++) {
                hi[i] = buf.getShort();
                if (hi[i] < 0) {
                    return null;
                }
            }
            byte[] cn = new byte[BUCKETS];
            buf.get(cn);
            short[] wd = new short[7];
            for (int i = 0; i < 7; i++) {
                wd[i] = buf.getShort();
            }
            int[] wc = new int[7];
            for (int i = 0; i < 7; i++) {
                wc[i] = buf.getInt();
                if (wc[i] < 0) {
                    return null;
                }
            }
            long first = buf.getLong();
            long last = buf.getLong();
            short[] rc = new short[RECENT];
            for (int i = 0; i < RECENT; i++) {
                rc[i] = buf.getShort();
                if (rc[i] < EMPTY) {
                    return null;
                }
            }
            short sur = 0;
            long surAt = last;
            if (version == VERSION) {
                sur = buf.getShort();
                surAt = buf.getLong();
                if (sur < 0) {
                    return null;
                }
            }
            if (last < first) {
                return null;
            }
            return new TrafficProfile(lv, sp, hi, cn, wd, wc, first, last, rc, sur, surAt);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrafficProfile p && firstAt == p.firstAt && lastAt == p.lastAt && Arrays.equals(level, p.level) && Arrays.equals(spread, p.spread) && Arrays.equals(highest, p.highest)
                && Arrays.equals(count, p.count) && Arrays.equals(weekday, p.weekday)
                && Arrays.equals(weekdayCount, p.weekdayCount) && Arrays.equals(recent, p.recent)
                && surprise == p.surprise && surpriseAt == p.surpriseAt;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(lastAt) * 31 + Arrays.hashCode(level);
    }

    @Override
    public String toString() {
        return "TrafficProfile[history=" + historySeconds() + "s, warm=" + warm() + "]";
    }
}

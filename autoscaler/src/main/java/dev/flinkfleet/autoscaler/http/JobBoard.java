package dev.flinkfleet.autoscaler.http;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.flinkfleet.autoscaler.config.Secrets;
import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.Adjustment;
import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.Explanation;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/**
 * An in-memory view of every job the loop saw in its last cycle: the signals it read, the application and policy
 * the job is bound to, and a bounded history of decisions with their reasons, governor adjustments, the policy's
 * recommendation and the actuation outcome. It backs {@code /jobs}: the "why did it scale" page.
 *
 * <p>Written by the loop thread, read by HTTP threads: the map is concurrent, each job's state is guarded by its
 * own monitor, and readers get immutable view records. Jobs missing from a cycle are dropped at the end of it.
 *
 * <p>Consecutive decisions that say the same thing (same reason, sizes, outcome and quality) are folded into one
 * history entry with a repeat count, first and last time, and the newest explanation. A quiet job that holds
 * every 30 s would otherwise push its last real rescale out of the history within half an hour.
 *
 * <p>Memory is bounded in bytes, not entries: the board keeps an estimate of what each job holds (its fixed part,
 * ~{@value #JOB_BYTES} B, plus each history entry's codes, numbers and texts, see {@link #entryBytes}) and trims a
 * job's oldest entries once it holds more than its share of {@code maxBytes} (the budget divided by the jobs on
 * the board). The newest entry is always kept, so every job shows its last decision: the bound is
 * {@code max(maxBytes, jobs x (JOB_BYTES + one entry))}. {@code historySize} still caps the entries per job, for
 * the length of {@code /jobs/{namespace}/{name}}. Folding repeats keeps quiet jobs at one entry, so the budget goes
 * to the jobs that do change.
 */
public final class JobBoard implements CycleListener {

    public static final int DEFAULT_HISTORY = 50;
    /** The default byte budget (flinkfleet.daemon.http.job-board-max-bytes). */
    public static final long DEFAULT_MAX_BYTES = 64L << 20;
    /** Estimated fixed bytes per job: its map node, key, monitor object, deque and compact signals. */
    static final int JOB_BYTES = 480;
    /** Longest explanation, detail or error text kept per entry; longer ones are cut (errors can be huge). */
    static final int MAX_TEXT = 512;

    private static final SignalKind[] KINDS = SignalKind.values();
    private static final Quality[] QUALITIES = Quality.values();

    private final Clock clock;
    private final int historySize;
    private final long maxBytes;
    private final ConcurrentHashMap<JobRef, Job> jobs = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();

    public JobBoard(Clock clock) {
        this(clock, DEFAULT_HISTORY);
    }

    public JobBoard(Clock clock, int historySize) {
        this(clock, historySize, DEFAULT_MAX_BYTES);
    }

    /**
     * @param clock       fallback time for outcomes that carry none (the signal source failed as a whole)
     * @param historySize most decisions kept per job (&gt;= 1)
     * @param maxBytes    estimated bytes the whole board may hold (&gt;= 1); the newest entry of each job is kept regardless
     */
    public JobBoard(Clock clock, int historySize, long maxBytes) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (historySize < 1) {
            throw new IllegalArgumentException("job history size must be >= 1, got " + historySize);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("job board byte budget must be >= 1, got " + maxBytes);
        }
        this.historySize = historySize;
        this.maxBytes = maxBytes;
    }

    public int historySize() {
        return historySize;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The board's estimate of the bytes it holds now. */
    public long bytes() {
        return bytes.get();
    }

    /** Jobs currently on the board. */
    public int size() {
        return jobs.size();
    }

    // ------------------------------------------------------------------ CycleListener

    @Override
    public void onJob(JobOutcome outcome) {
        try {
            JobRef ref = outcome.plan().job();
            Job job = jobs.get(ref);
            if (job == null) {
                Job fresh = new Job(ref);
                job = jobs.putIfAbsent(ref, fresh);
                if (job == null) {
                    job = fresh;
                    bytes.addAndGet(JOB_BYTES);
                }
            }
            long share = Math.max(1, maxBytes / Math.max(1, jobs.size()));
            bytes.addAndGet(job.record(outcome, clock, historySize, share));
        } catch (RuntimeException e) {
            // Listeners must not throw; a bad outcome must not stop the loop. Nothing sensible to record.
            org.slf4j.LoggerFactory.getLogger(JobBoard.class).warn("job board could not record an outcome: {}", e.toString());
        }
    }

    @Override
    public void onCycle(Instant now, List<JobOutcome> outcomes) {
        Set<JobRef> seen = new HashSet<>(outcomes.size() * 2);
        for (JobOutcome o : outcomes) {
            seen.add(o.plan().job());
        }
        for (Iterator<Map.Entry<JobRef, Job>> it = jobs.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<JobRef, Job> e = it.next();
            if (!seen.contains(e.getKey())) {
                it.remove();
                bytes.addAndGet(-(JOB_BYTES + e.getValue().historyBytes()));
            }
        }
    }

    // ------------------------------------------------------------------ reading

    /** One line per job, sorted by namespace and name. */
    public List<JobSummary> summaries() {
        List<JobSummary> out = new ArrayList<>(jobs.size());
        for (Job j : jobs.values()) {
            out.add(j.summary());
        }
        out.sort(Comparator.comparing(JobSummary::namespace).thenComparing(JobSummary::name));
        return out;
    }

    /** Everything known about {@code job}, newest decision first; empty for a job not on the board. */
    public Optional<JobDetail> detail(JobRef job) {
        Job j = jobs.get(job);
        return j == null ? Optional.empty() : Optional.of(j.detail());
    }

    // ------------------------------------------------------------------ views (immutable, JSON-shaped)

    /** A signal as the policy saw it; value and age are null when missing. */
    public record SignalValue(Double value, Double ageSeconds, Quality quality) {
    }

    /**
     * The signals of the job's last successful read.
     *
     * @param observedAt the cycle that read them (older than the last decision if the source failed since)
     */
    public record SignalsView(Instant observedAt, int currentWorkers, int currentParallelism, int maxParallelism,
                              Map<String, SignalValue> values) {
    }

    /**
     * One history entry: a decision, or a run of identical ones.
     *
     * @param at                  when (the newest, for a run)
     * @param firstAt             the first of the run
     * @param repeats             how many cycles in a row decided exactly this
     * @param reason              the decision's reason ({@code HOLD_ERROR} when no decision could be made)
     * @param policyReason        what the policy wanted; null without a decision
     * @param policyTargetWorkers the policy's target; null without a decision
     * @param explanation         the policy's sentence with the numbers
     * @param adjustments         what the governor changed, in order
     * @param outcome             the actuation outcome; null when nothing needed applying
     * @param outcomeReason       why the actuator did not apply it, if it said
     * @param outcomeDetail       the actuator's note
     * @param error               why the job was held without a decision
     */
    public record DecisionView(Instant at, Instant firstAt, int repeats, int currentWorkers, int targetWorkers,
                               ReasonCode reason, ReasonCode policyReason, Integer policyTargetWorkers,
                               String explanation, List<AdjustmentView> adjustments, Quality signalQuality,
                               Actuator.Outcome outcome, ReasonCode outcomeReason, String outcomeDetail, String error) {
    }

    /** A governor adjustment as {@code /jobs} shows it, its sentence rendered when the view is built. */
    public record AdjustmentView(ReasonCode code, int from, int to, String why) {
        static List<AdjustmentView> of(List<Adjustment> adjustments) {
            return adjustments.stream().map(a -> new AdjustmentView(a.code(), a.from(), a.to(), a.why())).toList();
        }
    }

    /**
     * A line of {@code /jobs}.
     *
     * @param currentWorkers workers at the last decision (null before the first)
     * @param desiredWorkers the last decision's target (null before the first)
     * @param lastReason     the actuator's reason when it held back the decision (e.g. budget), else the
     *                       decision's
     * @param signalQuality  worst quality among the signals the policy needs, at the last decision
     * @param lastReasonDetail why, when a governor rule set the last reason (e.g. which backend is down and its
     *                       error for {@code HOLD_BACKEND_UNAVAILABLE}); null otherwise
     */
    public record JobSummary(String namespace, String name, String application, String policy,
                             Integer currentWorkers, Integer desiredWorkers, ReasonCode lastReason,
                             Quality signalQuality, Instant lastDecisionAt, String lastReasonDetail) {
    }

    /**
     * {@code /jobs/{namespace}/{name}}.
     *
     * @param signals      the last signals read (null if none ever were)
     * @param policyInputs the named values the policy computed with at the last decision
     * @param decisions    history, newest first
     */
    public record JobDetail(String namespace, String name, String application, String policy,
                            SignalsView signals, Map<String, Double> policyInputs, List<DecisionView> decisions) {
    }

    // ------------------------------------------------------------------ storage (compact)

    /** Signals as primitive arrays, indexed by {@link SignalKind} ordinal; NaN value / +Inf age when missing. */
    private record SignalsSnap(long observedAtMillis, int workers, int parallelism, int maxParallelism,
                               double[] values, float[] ages, byte[] qualities) {

        static SignalsSnap of(Signals s) {
            double[] v = new double[KINDS.length];
            float[] a = new float[KINDS.length];
            byte[] q = new byte[KINDS.length];
            for (SignalKind k : KINDS) {
                Measurement m = s.get(k);
                v[k.ordinal()] = m.value();
                a[k.ordinal()] = (float) m.ageSeconds();
                q[k.ordinal()] = (byte) m.quality().ordinal();
            }
            return new SignalsSnap(s.observedAt().toEpochMilli(), s.currentWorkers(), s.currentParallelism(),
                    s.maxParallelism(), v, a, q);
        }

        SignalsView view() {
            Map<String, SignalValue> m = new LinkedHashMap<>();
            for (SignalKind k : KINDS) {
                Quality q = QUALITIES[qualities[k.ordinal()]];
                boolean missing = q == Quality.MISSING;
                m.put(k.key(), new SignalValue(missing ? null : values[k.ordinal()],
                        missing ? null : (double) ages[k.ordinal()], q));
            }
            return new SignalsView(Instant.ofEpochMilli(observedAtMillis), workers, parallelism, maxParallelism,
                    java.util.Collections.unmodifiableMap(m));
        }
    }

    /** One history entry; policyTarget 0 and policyReason null when there was no decision. */
    private record Entry(long firstAtMillis, long atMillis, int repeats, int current, int target, int policyTarget,
                         ReasonCode reason, ReasonCode policyReason, Quality quality, Actuator.Outcome outcome,
                         ReasonCode outcomeReason, Explanation explanation, List<Adjustment> adjustments,
                         String detail, String error) {

        /** Same verdict, so the two fold into one run (the texts may differ only in their numbers). */
        boolean sameVerdict(Entry o) {
            return current == o.current && target == o.target && policyTarget == o.policyTarget
                    && reason == o.reason && policyReason == o.policyReason && quality == o.quality
                    && outcome == o.outcome && outcomeReason == o.outcomeReason
                    && (error == null) == (o.error == null);
        }

        Entry foldInto(Entry older) {
            return new Entry(older.firstAtMillis, atMillis, older.repeats + 1, current, target, policyTarget, reason,
                    policyReason, quality, outcome, outcomeReason, explanation, adjustments, detail, error);
        }

        /** Estimated heap bytes of this entry: the record and its boxed fields, its texts, adjustments and explanation. */
        long bytes() {
            return entryBytes(detail, error, adjustments.size(), explanation != null);
        }

        /** The sentence of the governor rule that set the reason, if one did. */
        String reasonDetail() {
            ReasonCode r = effectiveReason();
            for (int i = adjustments.size() - 1; i >= 0; i--) {
                if (adjustments.get(i).code() == r) {
                    return adjustments.get(i).why();
                }
            }
            return null;
        }

        ReasonCode effectiveReason() {
            return outcome != null && outcome != Actuator.Outcome.APPLIED && outcomeReason != null ? outcomeReason : reason;
        }

        DecisionView view() {
            return new DecisionView(Instant.ofEpochMilli(atMillis), Instant.ofEpochMilli(firstAtMillis), repeats,
                    current, target, reason, policyReason, policyReason == null ? null : policyTarget,
                    explanation == null ? null : cut(explanation.render()),
                    AdjustmentView.of(adjustments), quality, outcome, outcomeReason, detail, error);
        }
    }

    /** One job's state; every access holds its monitor. */
    private static final class Job {
        private final JobRef ref;
        private String application;
        private String policy;
        private SignalsSnap signals;
        private Map<String, Double> inputs = Map.of();
        private final ArrayDeque<Entry> history = new ArrayDeque<>(8); // newest last
        private long historyBytes;

        Job(JobRef ref) {
            this.ref = ref;
        }

        synchronized long historyBytes() {
            return historyBytes;
        }

        /** Records {@code o}, trims to {@code historySize} entries and {@code share} bytes; returns the change in bytes. */
        synchronized long record(JobOutcome o, Clock clock, int historySize, long share) {
            long before = historyBytes;
            application = o.plan().application();
            policy = o.plan().policy().name();
            if (o.signals() != null) {
                signals = SignalsSnap.of(o.signals());
            }
            Entry e = entry(o, clock);
            Entry newest = history.peekLast();
            if (newest != null && e.sameVerdict(newest)) {
                history.pollLast();
                historyBytes -= newest.bytes();
                Entry folded = e.foldInto(newest);
                history.addLast(folded);
                historyBytes += folded.bytes();
            } else {
                history.addLast(e);
                historyBytes += e.bytes();
            }
            // Oldest first, never the newest: the board always shows the last decision.
            while (history.size() > 1 && (history.size() > historySize || JOB_BYTES + historyBytes > share)) {
                historyBytes -= history.pollFirst().bytes();
            }
            if (o.decision() != null) {
                inputs = o.decision().recommendation().inputs();
            }
            return historyBytes - before;
        }

        private Entry entry(JobOutcome o, Clock clock) {
            Decision d = o.decision();
            Actuator.Result r = o.result();
            String error = o.failed() && r == null ? cut(o.error().toString()) : null;
            Actuator.Outcome outcome = r == null ? null : r.outcome();
            ReasonCode outcomeReason = r == null ? null : r.reason();
            String detail = r == null ? null : cut(r.detail());
            if (d != null) {
                return new Entry(d.at().toEpochMilli(), d.at().toEpochMilli(), 1, d.currentWorkers(), d.targetWorkers(),
                        d.recommendation().targetWorkers(), d.reason(), d.recommendation().reason(), d.signalQuality(),
                        outcome, outcomeReason, d.recommendation().because(), d.adjustments(), detail, error);
            }
            // No decision: the job was held. Report its size as unchanged and its signals as the last we know.
            long at = o.signals() != null ? o.signals().observedAt().toEpochMilli() : clock.millis();
            int current = o.signals() != null ? o.signals().currentWorkers() : signals != null ? signals.workers() : 0;
            Quality q = o.signals() != null ? o.signals().worstQuality(o.plan().policy().requiredSignals()) : Quality.MISSING;
            return new Entry(at, at, 1, current, current, 0, ReasonCode.HOLD_ERROR, null, q, outcome, outcomeReason,
                    null, List.of(), detail, error == null ? "no decision" : error);
        }

        synchronized JobSummary summary() {
            Entry last = history.peekLast();
            return new JobSummary(ref.namespace(), ref.name(), application, policy,
                    last == null || last.current == 0 ? null : last.current,
                    last == null || last.target == 0 ? null : last.target,
                    last == null ? null : last.effectiveReason(),
                    last == null ? null : last.quality,
                    last == null ? null : Instant.ofEpochMilli(last.atMillis),
                    last == null ? null : last.reasonDetail());
        }

        synchronized JobDetail detail() {
            List<DecisionView> ds = new ArrayList<>(history.size());
            for (Iterator<Entry> it = history.descendingIterator(); it.hasNext(); ) {
                ds.add(it.next().view());
            }
            return new JobDetail(ref.namespace(), ref.name(), application, policy,
                    signals == null ? null : signals.view(), inputs, List.copyOf(ds));
        }
    }

    /**
     * Estimated heap bytes of one history entry (64-bit JVM, compressed oops, compact strings): the record with its
     * boxed numbers and codes (~96 B), each text (header and array, ~40 B, plus a byte per character), ~100 B per
     * governor adjustment and ~160 B for the policy's explanation (the renderer and the numbers it captured).
     */
    static long entryBytes(String detail, String error, int adjustments, boolean explanation) {
        return 96 + textBytes(detail) + textBytes(error) + 100L * adjustments + (explanation ? 160 : 0);
    }

    private static long textBytes(String s) {
        return s == null ? 0 : 40 + s.length();
    }

    static String cut(String text) {
        // Errors come from backends and libraries that may echo a URL with its password or a JAAS line.
        String s = Secrets.maskSecrets(text);
        if (s == null || s.length() <= MAX_TEXT) {
            return s;
        }
        return s.substring(0, MAX_TEXT - 1) + "…";
    }
}

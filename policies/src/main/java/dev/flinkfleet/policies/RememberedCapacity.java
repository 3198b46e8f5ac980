package dev.flinkfleet.policies;

import java.time.Duration;
import java.time.Instant;

/**
 * The events/s one worker processes fully busy, learned while the job was busy. An idle job's throughput and CPU
 * say nothing about its capacity; without this memory a rate policy could only hold it at its last (peak) size.
 * Kept in the {@link GovernorState}, so it survives a daemon restart.
 *
 * @param perWorker events/s per fully busy worker, finite, within [{@link #MIN_PER_WORKER}, {@link #MAX_PER_WORKER}]
 * @param learnedAt when the last sample was folded in
 */
public record RememberedCapacity(double perWorker, Instant learnedAt) {

    /** Bounds on a remembered capacity; a sample outside them is a broken metric, not a job. */
    public static final double MIN_PER_WORKER = 1e-3;
    public static final double MAX_PER_WORKER = 1e9;

    /** Below this CPU, throughput ÷ CPU is dominated by noise and fixed overhead: no sample. */
    public static final double MIN_LEARNING_CPU = 0.2;

    /** Weight of a new sample; about the last five busy cycles make the estimate. */
    static final double SMOOTHING = 0.3;

    /**
     * After a rescale the signals still mix the old size's window with the new worker count, and the restart's
     * catch-up skews them: no sample is taken for this long (while the restart shows no throughput, the policies
     * size from memory).
     */
    public static final Duration SETTLE_TIME = Duration.ofMinutes(5);

    public RememberedCapacity {
        java.util.Objects.requireNonNull(learnedAt, "learnedAt");
        if (!Double.isFinite(perWorker) || perWorker < MIN_PER_WORKER || perWorker > MAX_PER_WORKER) {
            throw new IllegalArgumentException("remembered capacity per worker must be finite and within ["
                    + MIN_PER_WORKER + ", " + MAX_PER_WORKER + "], got " + perWorker);
        }
    }

    /** Whether the signals at {@code now} are still settling after the last rescale in {@code state}. */
    public static boolean settling(GovernorState state, Instant now) {
        Instant last = state.lastScaleAt();
        return last != null && now.isBefore(last.plus(SETTLE_TIME));
    }

    /**
     * {@code state} with this cycle's sample folded in, when the signals can be trusted for one: throughput and
     * CPU fresh, throughput positive, CPU at least {@link #MIN_LEARNING_CPU}, and not settling after a rescale.
     * Otherwise {@code state} unchanged.
     */
    public static GovernorState learn(GovernorState state, Signals s, Instant now) {
        Measurement tp = s.throughput();
        Measurement cpu = s.cpu();
        if (!tp.isFresh() || !cpu.isFresh() || !(tp.value() > 0) || !(cpu.value() >= MIN_LEARNING_CPU)
                || settling(state, now)) {
            return state;
        }
        double sample = tp.value() / (Math.min(1, cpu.value()) * s.currentWorkers());
        if (!Double.isFinite(sample)) {
            return state;
        }
        sample = Math.max(MIN_PER_WORKER, Math.min(MAX_PER_WORKER, sample));
        RememberedCapacity old = state.capacity();
        double next = old == null ? sample : old.perWorker() + SMOOTHING * (sample - old.perWorker());
        return state.withCapacity(new RememberedCapacity(next, now));
    }

    /** The annotation value: {@code <per-worker>@<epoch-seconds>}. */
    String encode() {
        return Double.toString(perWorker) + '@' + learnedAt.getEpochSecond();
    }

    /** What {@link #encode()} wrote, or null for absent, malformed or out-of-bounds values. */
    static RememberedCapacity decode(String v) {
        if (v == null) {
            return null;
        }
        int at = v.indexOf('@');
        if (at <= 0) {
            return null;
        }
        try {
            double perWorker = Double.parseDouble(v.substring(0, at).trim());
            long sec = Long.parseLong(v.substring(at + 1).trim());
            if (!Double.isFinite(perWorker) || perWorker < MIN_PER_WORKER || perWorker > MAX_PER_WORKER) {
                return null;
            }
            return new RememberedCapacity(perWorker, Instant.ofEpochSecond(sec));
        } catch (RuntimeException e) {
            return null;
        }
    }
}

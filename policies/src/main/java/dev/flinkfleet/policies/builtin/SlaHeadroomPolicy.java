package dev.flinkfleet.policies.builtin;

import static dev.flinkfleet.policies.builtin.Numbers.fmt;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import dev.flinkfleet.policies.Explanation;
import dev.flinkfleet.policies.Inputs;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.PolicyContext;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/**
 * Keeps latency under the SLA with few rescales, because every rescale is itself an outage: a restart processes
 * nothing and replays input from the last checkpoint.
 *
 * <ul>
 * <li>Capacity per worker is throughput ÷ (CPU × workers). During catch-up after a restart the CPU reads 100 %
 * and throughput is the full capacity, so the estimate stays right and catch-up does not look like demand.
 * A CPU below {@link #MIN_TRUSTED_CPU} is read as that value: a low estimate of the capacity, so more workers.</li>
 * <li>The latency budget is sla − restart − margin: the backlog time a job may reach and still survive one more
 * restart within the SLA.</li>
 * <li>A rescale is sized for the input (not the throughput) at the target utilisation, and for the backlog
 * it will leave behind (the backlog now, what piles up during the restart, the checkpoint replay) to be within
 * the latency budget of the new capacity; in one step.</li>
 * <li>Scale up only when the input passes the scale-up utilisation or the backlog time (projected over the
 * signals' age) passes the budget; in between, hold. Scale down only when the new size saves at least
 * min-scale-down-saving of the workers; the governor's stabilisation window then lets it go no lower than
 * the highest recommendation of the recent past, so a holding cycle postpones the next scale-down.</li>
 * </ul>
 * Required signals are INPUT_RATE, THROUGHPUT, CPU and BACKLOG. Without throughput or CPU (an idle or
 * restarting job), or with a CPU too low to mean anything, the capacity comes from the one remembered while the
 * job was busy ({@link dev.flinkfleet.policies.PolicyContext}); with none remembered the policy holds. A missing input rate is estimated as throughput + backlog growth, and a
 * missing backlog taken as 0, for scale-ups only. Built by {@link SlaHeadroomFactory}.
 *
 * @param targetUtilization  fraction of capacity the input should use after a rescale
 * @param scaleUpUtilization scale up when the input uses more than this fraction (above the target)
 * @param minScaleDownSaving least fraction of the workers a scale-down must save
 * @param slaLatency         the latency promised
 * @param restartTime        expected downtime of a rescale
 * @param checkpointInterval a restart replays half of this of input
 * @param safetyMargin       latency kept in reserve for what the model does not see
 */
public record SlaHeadroomPolicy(
        double targetUtilization,
        double scaleUpUtilization,
        double minScaleDownSaving,
        Duration slaLatency,
        Duration restartTime,
        Duration checkpointInterval,
        Duration safetyMargin) implements ScalingPolicy {

    public static final String NAME = "sla-headroom";

    /** Below this CPU the throughput ÷ CPU estimate of a worker's capacity is mostly noise. */
    public static final double MIN_TRUSTED_CPU = Numbers.MIN_TRUSTED_CPU;

    private static final RateOpening OPENING = new RateOpening(NAME,
            EnumSet.of(SignalKind.INPUT_RATE, SignalKind.THROUGHPUT, SignalKind.CPU, SignalKind.BACKLOG),
            "the capacity per worker cannot be estimated");

    public SlaHeadroomPolicy {
        Objects.requireNonNull(slaLatency, "slaLatency");
        Objects.requireNonNull(restartTime, "restartTime");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        Objects.requireNonNull(safetyMargin, "safetyMargin");
    }

    @Override
    public String name() {
        return OPENING.name();
    }

    @Override
    public Set<SignalKind> requiredSignals() {
        return OPENING.required();
    }

    /** Backlog time the job may reach and still take one restart within the SLA, seconds. */
    public double latencyBudget() {
        return Numbers.seconds(slaLatency) - Numbers.seconds(restartTime) - Numbers.seconds(safetyMargin);
    }

    @Override
    public Recommendation recommend(Signals s) {
        return recommend(s, PolicyContext.NONE);
    }

    /** The rate this policy sizes for, events/s, given the input rate and the backlog. */
    private double neededRate(double input, double backlog) {
        return Math.max(input / targetUtilization,
                (backlog + input * (Numbers.seconds(restartTime) + Numbers.seconds(checkpointInterval) / 2)) / latencyBudget());
    }

    @Override
    public Recommendation recommend(Signals s, PolicyContext ctx) {
        int current = s.currentWorkers();
        Inputs in = OPENING.inputs(s);
        Recommendation opened = OPENING.open(s, in, ctx, this::neededRate);
        if (opened != null) {
            return opened;
        }
        double throughput = s.throughput().value();
        Measurement cpuM = s.cpu();
        if (cpuM.isMissing()) {
            Explanation why = Explanation.of("CPU is missing: the capacity per worker cannot be estimated");
            Recommendation remembered = OPENING.fromMemory(s, in, ctx, this::neededRate, why);
            return remembered != null ? remembered : Recommendation.hold(current, ReasonCode.HOLD_INSUFFICIENT_SIGNALS, why, in);
        }
        in.put("cpu", cpuM.value());
        if (cpuM.value() < MIN_TRUSTED_CPU && ctx.capacity() != null) {
            // A remembered capacity beats the floor below: an idle job goes to its size in one step.
            double c = cpuM.value();
            return OPENING.fromMemory(s, in, ctx, this::neededRate,
                    () -> "CPU " + fmt(c) + " is below " + fmt(MIN_TRUSTED_CPU) + ": the capacity per worker cannot be estimated");
        }
        // A near-idle job's CPU is mostly noise. Reading it as at least MIN_TRUSTED_CPU can only underestimate
        // a worker's capacity, which errs towards more workers: an idle job still shrinks, step by step, to a
        // size where its CPU means something.
        double cpu = Math.max(cpuM.value(), MIN_TRUSTED_CPU);

        boolean inputMeasured = !s.inputRate().isMissing();
        double input = Numbers.inputRate(s, throughput, in);
        if (Double.isNaN(input)) {
            return Recommendation.hold(current, ReasonCode.HOLD_INSUFFICIENT_SIGNALS, Numbers.NO_INPUT, in);
        }
        in.put("input-rate", input);
        boolean backlogKnown = !s.backlog().isMissing();
        // A missing backlog is taken as 0: that can only lower the need, so a scale-up stays justified.
        double backlog = s.backlog().orElse(0);
        // The signals describe the job `age` seconds ago; a backlog that was growing has grown since.
        double age = backlogKnown ? s.backlog().ageSeconds() : 0;
        if (backlogKnown) {
            in.put("backlog", backlog);
        }

        double perWorker = throughput / (cpu * current);
        double capacity = perWorker * current;
        double utilization = input / capacity;
        double backlogNow = backlog + Math.max(0, input - capacity) * age;
        double backlogTime = backlogNow / capacity;
        double budget = latencyBudget();
        double restart = Numbers.seconds(restartTime);
        double replay = Numbers.seconds(checkpointInterval) / 2;
        // What a rescale leaves to process when the new workers start: the backlog, the input that arrives
        // during the restart and the input replayed from the last checkpoint.
        double backlogAfter = backlogNow + input * (restart + replay);
        double needed = Math.max(input / targetUtilization, backlogAfter / budget);
        double sized = needed / perWorker;
        int target = Numbers.ceilWorkers(sized);
        in.put("per-worker-rate", perWorker);
        in.put("utilization", utilization);
        in.put("backlog-time", backlogTime);
        in.put("latency-budget", budget);
        in.put("backlog-after-rescale", backlogAfter);
        in.put("needed-rate", needed);
        in.put("sized-workers", sized);
        // The sentences are rendered on demand from these numbers; nothing is formatted while deciding.
        Sizing z = new Sizing(current, input, perWorker, utilization, backlogTime, budget, backlogAfter, needed, sized,
                inputMeasured, backlogKnown);

        boolean overUtilized = !Numbers.atMost(utilization, scaleUpUtilization);
        boolean overBudget = !Numbers.atMost(backlogTime, budget);
        if ((overUtilized || overBudget) && target > current) {
            return new Recommendation(target, overUtilized ? ReasonCode.SCALE_UP_UTILIZATION : ReasonCode.SCALE_UP_BACKLOG,
                    () -> z.state() + "; " + z.sizing(targetUtilization) + ", so " + target + " workers", in);
        }
        if (target >= current) {
            return Recommendation.hold(current, backlogKnown ? ReasonCode.HOLD_IN_RANGE : ReasonCode.HOLD_INSUFFICIENT_SIGNALS,
                    () -> z.state() + ": within " + fmt(scaleUpUtilization) + " and the budget"
                            + (backlogKnown ? "" : ", but the backlog is missing"), in);
        }
        if (!backlogKnown || !inputMeasured) {
            return Recommendation.hold(current, ReasonCode.HOLD_INSUFFICIENT_SIGNALS, () -> z.state() + "; " + z.sizing(targetUtilization)
                    + ", but " + (backlogKnown ? "the input rate" : "the backlog") + " is missing, so no scale-down", in);
        }
        double saving = (current - target) / (double) current;
        in.put("saving", saving);
        if (!Numbers.atMost(minScaleDownSaving, saving)) {
            return Recommendation.hold(current, ReasonCode.HOLD_IN_RANGE, () -> z.state() + "; " + z.sizing(targetUtilization) + ", so " + target
                    + " workers would save " + fmt(saving) + " < " + fmt(minScaleDownSaving) + ": not worth a restart", in);
        }
        return new Recommendation(target, ReasonCode.SCALE_DOWN_UTILIZATION, () -> z.state() + "; " + z.sizing(targetUtilization) + ", so " + target
                + " workers, saving " + fmt(saving), in);
    }

    /** The numbers a decision was sized with, and the two clauses every explanation is built from. */
    private record Sizing(int current, double input, double perWorker, double utilization, double backlogTime,
                          double budget, double backlogAfter, double needed, double sized,
                          boolean inputMeasured, boolean backlogKnown) {

        String state() {
            return "utilisation " + fmt(utilization) + " = " + fmt(input) + " / (" + fmt(perWorker) + " per worker × "
                    + current + ")" + (inputMeasured ? "" : " with input estimated as throughput + growth")
                    + (backlogKnown ? ", backlog time " + fmt(backlogTime) + " s" : ", backlog missing (taken as 0)")
                    + " against a budget of " + fmt(budget) + " s";
        }

        String sizing(double targetUtilization) {
            return "needed rate max(" + fmt(input) + " / " + fmt(targetUtilization) + ", " + fmt(backlogAfter)
                    + " left after a rescale / " + fmt(budget) + " s) = " + fmt(needed) + ", ÷ " + fmt(perWorker)
                    + " per worker = " + fmt(sized);
        }
    }
}

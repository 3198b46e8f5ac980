package dev.flinkfleet.policies.builtin;

import static dev.flinkfleet.policies.builtin.Numbers.fmt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.flinkfleet.policies.Explanation;
import dev.flinkfleet.policies.Inputs;
import dev.flinkfleet.policies.PolicyContext;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/**
 * The published backlog-time design. Scale up when backlog time or CPU is above its threshold, to keep up with
 * the backlog's growth and drain what is queued within {@code timeToDrain}; scale down on low CPU only while
 * the backlog is small and not growing. A job processing nothing (idle or restarting) is sized for its input at
 * target-cpu and its backlog within time-to-drain, with the capacity remembered while it was busy
 * ({@link dev.flinkfleet.policies.PolicyContext}); with none remembered it holds.
 * Built by {@link BacklogDrainFactory}, which validates the parameters.
 *
 * @param scaleUpBacklogTime   scale up when backlog time exceeds this
 * @param scaleUpCpu           ... or when CPU exceeds this fraction
 * @param timeToDrain          the catch-up term drains the backlog in this time
 * @param scaleDownCpu         scale down only below this CPU ...
 * @param scaleDownBacklogTime ... and below this backlog time, with the backlog not growing
 * @param targetCpu            CPU to size for when scaling down
 */
public record BacklogDrainPolicy(
        Duration scaleUpBacklogTime,
        double scaleUpCpu,
        Duration timeToDrain,
        double scaleDownCpu,
        Duration scaleDownBacklogTime,
        double targetCpu) implements ScalingPolicy {

    public static final String NAME = "backlog-drain";

    /** Every signal a scale-down rests on; backlog time is derived from backlog and throughput when absent. */
    private static final RateOpening OPENING = new RateOpening(NAME,
            EnumSet.of(SignalKind.THROUGHPUT, SignalKind.BACKLOG, SignalKind.BACKLOG_GROWTH, SignalKind.CPU),
            "a job processing nothing is down or restarting, so no size can be computed");

    public BacklogDrainPolicy {
        Objects.requireNonNull(scaleUpBacklogTime, "scaleUpBacklogTime");
        Objects.requireNonNull(timeToDrain, "timeToDrain");
        Objects.requireNonNull(scaleDownBacklogTime, "scaleDownBacklogTime");
    }

    @Override
    public String name() {
        return OPENING.name();
    }

    @Override
    public Set<SignalKind> requiredSignals() {
        return OPENING.required();
    }

    @Override
    public Recommendation recommend(Signals s) {
        return recommend(s, PolicyContext.NONE);
    }

    /** The rate this policy sizes for, events/s, given the input rate and the backlog. */
    private double neededRate(double input, double backlog) {
        return input / targetCpu + backlog / Numbers.seconds(timeToDrain);
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

        // NaN below means "not known"; every comparison with NaN is false, so an unknown value never fires a rule.
        double backlogTime = Double.NaN;
        if (!s.backlogTime().isMissing()) {
            backlogTime = s.backlogTime().value();
        } else if (!s.backlog().isMissing()) {
            in.put("backlog", s.backlog().value());
            backlogTime = s.backlog().value() / throughput;
        }
        putKnown(in, "backlog-time", backlogTime);
        double cpu = s.cpu().orElse(Double.NaN);
        putKnown(in, "cpu", cpu);
        double growth = s.backlogGrowth().orElse(Double.NaN);
        putKnown(in, "backlog-growth", growth);

        double upBacklogTime = Numbers.seconds(scaleUpBacklogTime);
        double downBacklogTime = Numbers.seconds(scaleDownBacklogTime);
        boolean upByBacklog = backlogTime > upBacklogTime;
        boolean upByCpu = cpu > scaleUpCpu;
        if (upByBacklog || upByCpu) {
            return scaleUp(current, throughput, backlogTime, cpu, growth, upByBacklog, in);
        }

        boolean cpuLow = cpu < scaleDownCpu;
        boolean notGrowing = growth <= 0;
        boolean backlogSmall = backlogTime < downBacklogTime;
        if (cpuLow && notGrowing && backlogSmall) {
            double sized = current * cpu / targetCpu;
            in.put("sized-workers", sized);
            int target = Math.min(current, Numbers.ceilWorkers(sized));
            double bt = backlogTime;
            Explanation why = () -> "CPU " + fmt(cpu) + " < " + fmt(scaleDownCpu) + ", backlog growth " + fmt(growth)
                    + " <= 0 and backlog time " + fmt(bt) + " s < " + fmt(downBacklogTime) + " s: "
                    + current + " × " + fmt(cpu) + " / " + fmt(targetCpu) + " = " + fmt(sized);
            if (target < current) {
                return new Recommendation(target, ReasonCode.SCALE_DOWN_CPU, () -> why.render() + ", so " + target + " workers", in);
            }
            return Recommendation.hold(current, ReasonCode.HOLD_IN_RANGE,
                    () -> why.render() + ", no fewer than the current " + current, in);
        }

        // No rule fired. That is "in range" only if every value a rule reads is known; otherwise a missing value
        // might have fired a scale-up, or is the only thing keeping us from a scale-down we must not make blind.
        boolean downRuledOut = (cpu >= scaleDownCpu) || (growth > 0) || (backlogTime >= downBacklogTime);
        boolean backlogTimeMissing = Double.isNaN(backlogTime);
        boolean cpuMissing = Double.isNaN(cpu);
        boolean growthMissing = Double.isNaN(growth) && !downRuledOut;
        if (backlogTimeMissing || cpuMissing || growthMissing) {
            return Recommendation.hold(current, ReasonCode.HOLD_INSUFFICIENT_SIGNALS, () -> {
                List<String> missing = new ArrayList<>();
                if (backlogTimeMissing) {
                    missing.add("backlog time (and backlog)");
                }
                if (cpuMissing) {
                    missing.add("CPU");
                }
                if (growthMissing) {
                    missing.add("backlog growth");
                }
                return "no scale-up trigger among the known signals, but " + String.join(", ", missing) + " missing";
            }, in);
        }
        double bt = backlogTime;
        return Recommendation.hold(current, ReasonCode.HOLD_IN_RANGE, () -> {
            List<String> notDown = new ArrayList<>();
            if (!cpuLow) {
                notDown.add("CPU " + fmt(cpu) + " >= " + fmt(scaleDownCpu));
            }
            if (!notGrowing) {
                notDown.add("backlog growing by " + fmt(growth) + "/s");
            }
            if (!backlogSmall) {
                notDown.add("backlog time " + fmt(bt) + " s >= " + fmt(downBacklogTime) + " s");
            }
            return "backlog time " + fmt(bt) + " s <= " + fmt(upBacklogTime) + " s and CPU " + fmt(cpu) + " <= "
                    + fmt(scaleUpCpu) + "; no scale-down: " + String.join(" and ", notDown);
        }, in);
    }

    private Recommendation scaleUp(int current, double throughput, double backlogTime, double cpu, double growth,
                                   boolean byBacklog, Inputs in) {
        // A missing growth or backlog time only removes a term that adds workers, so the result is a lower bound.
        double g = Double.isNaN(growth) ? 0 : growth;
        double drain = Numbers.seconds(timeToDrain);
        double require = current * (g + throughput) / throughput;
        double extra = Double.isNaN(backlogTime) ? 0 : current * backlogTime / drain;
        in.put("require", require);
        in.put("extra", extra);
        int target = Math.max(current, Numbers.ceilWorkers(require + extra));
        Explanation trigger = () -> byBacklog
                ? "backlog time " + fmt(backlogTime) + " s > " + fmt(Numbers.seconds(scaleUpBacklogTime)) + " s"
                : "CPU " + fmt(cpu) + " > " + fmt(scaleUpCpu);
        Explanation sum = () -> "require " + current + " × (" + (Double.isNaN(growth) ? "growth missing, taken as 0" : fmt(growth))
                + " + " + fmt(throughput) + ") / " + fmt(throughput) + " = " + fmt(require)
                + " plus extra " + (Double.isNaN(backlogTime) ? "0 (backlog time missing)"
                : current + " × " + fmt(backlogTime) + " / " + fmt(drain) + " = " + fmt(extra));
        if (target > current) {
            return new Recommendation(target, byBacklog ? ReasonCode.SCALE_UP_BACKLOG : ReasonCode.SCALE_UP_CPU,
                    () -> trigger.render() + ": " + sum.render() + ", so " + target + " workers", in);
        }
        // e.g. hot CPU while the backlog drains fast: the job keeps up without more workers. Unless a term was
        // missing: then the lower bound says nothing.
        boolean partial = Double.isNaN(growth) || Double.isNaN(backlogTime);
        return Recommendation.hold(current, partial ? ReasonCode.HOLD_INSUFFICIENT_SIGNALS : ReasonCode.HOLD_IN_RANGE,
                () -> trigger.render() + ", but " + sum.render() + " needs no more than the current " + current, in);
    }

    private static void putKnown(Inputs in, String key, double v) {
        if (!Double.isNaN(v)) {
            in.put(key, v);
        }
    }
}

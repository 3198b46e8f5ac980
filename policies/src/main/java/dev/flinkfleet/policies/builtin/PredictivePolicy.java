package dev.flinkfleet.policies.builtin;

import static dev.flinkfleet.policies.builtin.Numbers.fmt;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import dev.flinkfleet.policies.Inputs;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.PolicyContext;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.policies.TrafficProfile;

/**
 * Sizes for the input the job's own traffic shape says is coming, uses the SLA's latency as a buffer, and
 * rescales only when it pays: a restart is an outage that processes nothing and replays input.
 *
 * <ul>
 * <li><b>Forecast.</b> The {@link TrafficProfile} (learned online from the job's input, time of day and day of
 * week) scales the current input to the busiest coming five-minute bucket, by as much of the rise as its history
 * makes significant. A cold profile forecasts the current input: reactive sizing. Noise around the forecast
 * needs no allowance of its own: the latency budget is the buffer that absorbs it.</li>
 * <li><b>Reaction horizon</b> = metrics delay + control interval + restart: how long a decision takes to show.
 * <b>Latency budget</b> = sla − restart − control interval: the backlog time a job may reach and still take one
 * restart, decided up to one interval late, within the SLA.</li>
 * <li><b>Hold</b> while the backlog, growing at the forecast peak minus the capacity, stays within the budget
 * over the reaction horizon: a burst the current size absorbs within the SLA is absorbed, not chased.</li>
 * <li><b>Size</b> (when the current size fails that test): the smallest capacity that carries the forecast peak
 * over the planning horizon (restart + sla), keeps the backlog a restart leaves (backlog now, input during the
 * restart, checkpoint replay) within the budget and drains it within the planning horizon + budget.</li>
 * <li><b>Scale down</b> only to a size that passes the same test over its payback time (the restart's cost in
 * worker-seconds, the new workers idle through the restart plus the replay, ÷ the workers saved), for the higher
 * of the forecast and the peak of an equally long stretch of the recent past, on a fresh measured input and
 * backlog, and withstand, until a scale-up takes effect, the higher of the profile's bursts at this time of day
 * and a leap like the job's recent ones ({@link TrafficProfile#surprise}: (1 + forecast) × surprise − 1). This
 * replaces the governor's stabilisation window (its governor defaults in reference.conf turn that off).</li>
 * </ul>
 * Capacity per worker is throughput ÷ (CPU × workers), as in {@link SlaHeadroomPolicy}; without it, the
 * remembered capacity. Built by {@link PredictiveFactory}.
 *
 * @param slaLatency         the latency promised
 * @param restartTime        expected downtime of a rescale
 * @param checkpointInterval a restart replays half of this of input
 * @param metricsDelay       how old the signals are when read
 * @param controlInterval    time between two decisions
 */
public record PredictivePolicy(
        Duration slaLatency,
        Duration restartTime,
        Duration checkpointInterval,
        Duration metricsDelay,
        Duration controlInterval) implements ScalingPolicy {

    public static final String NAME = "predictive";

    /** Payback rounds of refinement: each lengthens the window only, so a few settle it. */
    private static final int PAYBACK_ROUNDS = 4;

    private static final RateOpening OPENING = new RateOpening(NAME,
            EnumSet.of(SignalKind.INPUT_RATE, SignalKind.THROUGHPUT, SignalKind.CPU, SignalKind.BACKLOG),
            "the capacity per worker cannot be estimated");

    public PredictivePolicy {
        Objects.requireNonNull(slaLatency, "slaLatency");
        Objects.requireNonNull(restartTime, "restartTime");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        Objects.requireNonNull(metricsDelay, "metricsDelay");
        Objects.requireNonNull(controlInterval, "controlInterval");
    }

    @Override
    public String name() {
        return OPENING.name();
    }

    @Override
    public Set<SignalKind> requiredSignals() {
        return OPENING.required();
    }

    /** Backlog time a job may reach and still take one restart, decided one interval late, within the SLA, s. */
    public double latencyBudget() {
        return Numbers.seconds(slaLatency) - Numbers.seconds(restartTime) - Numbers.seconds(controlInterval);
    }

    /** How long a decision takes to show in the signals, seconds. */
    public double reactionHorizon() {
        return Numbers.seconds(metricsDelay) + Numbers.seconds(controlInterval) + Numbers.seconds(restartTime);
    }

    /** How long a new size is planned for: its restart, then one SLA's worth of latency to serve, seconds. */
    public double planningHorizon() {
        return Numbers.seconds(restartTime) + Numbers.seconds(slaLatency);
    }

    @Override
    public Recommendation recommend(Signals s) {
        return recommend(s, PolicyContext.NONE);
    }

    /** The forecast a decision at {@code now} uses: the profile's peaks over the two horizons. */
    record Forecast(double input, double reactionPeak, double planPeak, boolean warm) {

        static Forecast of(TrafficProfile p, Instant now, double input, double reaction, double plan) {
            if (p == null) {
                return new Forecast(input, input, input, false);
            }
            return new Forecast(input, p.peak(now, reaction, input), p.peak(now, plan, input), p.warm());
        }

        /** Forecast peak over the current input; 1 when cold. */
        double ratio() {
            return input > 0 ? planPeak / input : 1;
        }
    }

    /**
     * The capacity, events/s, that carries {@code level} over a {@code horizon} that starts with a restart, keeps
     * the backlog within the budget all along and drains it by the end of horizon + budget:
     * c ≥ max(level, B_R ÷ budget, (B_R + level × (horizon + budget)) ÷ (horizon + budget)), where B_R is the
     * backlog when the new size starts (the backlog now, the input during the restart, the checkpoint replay).
     * A size that only kept the backlog within the budget would leave it there, and the next rise or restart
     * would break the SLA.
     */
    double neededCapacity(double backlogNow, double input, double level, double horizon) {
        double budget = latencyBudget();
        double afterRestart = backlogNow + Math.max(input, level) * Numbers.seconds(restartTime)
                + input * Numbers.seconds(checkpointInterval) / 2;
        double drainBy = horizon + budget;
        return Math.max(Math.max(level, afterRestart / budget), level + afterRestart / drainBy);
    }

    /** Whether capacity {@code c} holds, without a restart, the backlog within the budget over the reaction horizon. */
    boolean holds(double c, double backlogNow, Forecast f) {
        double limit = c * latencyBudget();
        double grown = backlogNow + (f.reactionPeak() - c) * reactionHorizon();
        return Numbers.atMost(backlogNow, limit) && Numbers.atMost(grown, limit);
    }

    @Override
    public Recommendation recommend(Signals s, PolicyContext ctx) {
        int current = s.currentWorkers();
        Inputs in = OPENING.inputs(s);
        Measurement tp = s.throughput();
        Measurement cpuM = s.cpu();
        if (!tp.isMissing()) {
            in.put("throughput", tp.value());
        }
        if (!cpuM.isMissing()) {
            in.put("cpu", cpuM.value());
        }
        // This cycle's own estimate of a worker (throughput ÷ CPU) needs a positive throughput and a CPU that
        // means something; otherwise (idle, restarting, CPU missing) the capacity remembered from a busy cycle.
        // Either way the same sizing and payback rules decide: a remembered capacity never skips the payback.
        boolean ownEstimate = !tp.isMissing() && tp.value() > 0 && !cpuM.isMissing()
                && (cpuM.value() >= Numbers.MIN_TRUSTED_CPU || ctx.capacity() == null);
        double perWorker;
        if (ownEstimate) {
            // As sla-headroom: a near-idle CPU read as the floor can only underestimate a worker, erring towards more.
            perWorker = tp.value() / (Math.max(cpuM.value(), Numbers.MIN_TRUSTED_CPU) * current);
        } else if (ctx.capacity() != null) {
            perWorker = ctx.capacity().perWorker();
            in.put("remembered-per-worker", perWorker);
        } else {
            String what = tp.isMissing() ? "throughput is missing" : !(tp.value() > 0) ? "throughput is " + fmt(tp.value())
                    : "CPU is missing";
            return Recommendation.hold(current, ReasonCode.HOLD_INSUFFICIENT_SIGNALS,
                    () -> what + ": the capacity per worker cannot be estimated, and none is remembered", in);
        }
        double throughput = Math.max(0, tp.orElse(0));
        boolean inputMeasured = !s.inputRate().isMissing();
        double input = Numbers.inputRate(s, throughput, in);
        if (Double.isNaN(input)) {
            return Recommendation.hold(current, ReasonCode.HOLD_INSUFFICIENT_SIGNALS, Numbers.NO_INPUT, in);
        }
        in.put("input-rate", input);
        boolean backlogKnown = !s.backlog().isMissing();
        // A missing backlog is taken as 0: that can only lower the need, so a scale-up stays justified.
        double backlog = s.backlog().orElse(0);
        double age = backlogKnown ? s.backlog().ageSeconds() : 0;
        if (backlogKnown) {
            in.put("backlog", backlog);
        }
        double capacity = perWorker * current;
        // The signals describe the job `age` seconds ago; a backlog that was growing has grown since.
        double backlogNow = backlog + Math.max(0, input - capacity) * age;

        Forecast f = Forecast.of(ctx.profile(), s.observedAt(), input, reactionHorizon(), planningHorizon());
        double budget = latencyBudget();
        double plan = planningHorizon();
        double needed = neededCapacity(backlogNow, input, f.planPeak(), plan);
        double sized = needed / perWorker;
        int target = Numbers.ceilWorkers(sized);
        in.put("per-worker-rate", perWorker);
        in.put("utilization", input / capacity);
        in.put("backlog-time", backlogNow / capacity);
        in.put("latency-budget", budget);
        in.put("reaction-horizon", reactionHorizon());
        in.put("planning-horizon", plan);
        in.put("forecast-reaction-peak", f.reactionPeak());
        in.put("forecast-peak", f.planPeak());
        in.put("forecast-ratio", f.ratio());
        in.put("profile-warm", f.warm() ? 1 : 0);
        in.put("needed-rate", needed);
        in.put("sized-workers", sized);
        State z = new State(current, input, perWorker, capacity, backlogNow, budget, f, reactionHorizon());

        if (!holds(capacity, backlogNow, f)) {
            if (target > current) {
                boolean overBudget = !Numbers.atMost(backlogNow, capacity * budget);
                return new Recommendation(target, overBudget ? ReasonCode.SCALE_UP_BACKLOG : ReasonCode.SCALE_UP_UTILIZATION,
                        () -> z.state() + "; " + z.fails() + "; " + z.sizing(needed, sized, plan) + ", so " + target + " workers", in);
            }
            return Recommendation.hold(current, ReasonCode.HOLD_IN_RANGE,
                    () -> z.state() + "; " + z.fails() + ", but " + z.sizing(needed, sized, plan) + ": no more than now", in);
        }
        if (target >= current) {
            return Recommendation.hold(current, backlogKnown ? ReasonCode.HOLD_IN_RANGE : ReasonCode.HOLD_INSUFFICIENT_SIGNALS,
                    () -> z.state() + "; " + z.absorbs() + (backlogKnown ? "" : ", but the backlog is missing"), in);
        }
        if (!backlogKnown || !inputMeasured || !s.backlog().isFresh() || !s.inputRate().isFresh()) {
            return Recommendation.hold(current, ReasonCode.HOLD_INSUFFICIENT_SIGNALS, () -> z.state() + "; "
                    + z.sizing(needed, sized, plan) + ", but the input rate and backlog are not both fresh and measured, so no scale-down", in);
        }
        // The lower size must last long enough to repay its restart: over that window it must carry the profile's
        // forecast or what the same span of the recent past reached, whichever is higher, and withstand the bursts
        // the job has had at this time of day until a scale-up could act. A longer window can only raise the
        // need, so a few rounds settle it.
        // A job whose input has lately leapt far past what came before it (and what its shape foresaw) keeps what
        // the buffer needs to absorb another such leap from the forecast until a scale-up takes effect.
        double surprise = ctx.profile() == null ? 1 : ctx.profile().surprise(s.observedAt());
        double leap = (1 + f.reactionPeak()) * surprise - 1;
        in.put("surprise", surprise);
        in.put("surprise-leap", leap);
        int lower = target;
        double payback = 0;
        double window = plan;
        double peak = input;
        double recent = 0;
        for (int round = 0; round < PAYBACK_ROUNDS && lower < current; round++) {
            payback = paybackSeconds(lower, current, input, perWorker);
            window = Math.max(plan, Numbers.seconds(restartTime) + payback);
            peak = expectedPeak(ctx.profile(), s.observedAt(), window, input);
            double high = ctx.profile() == null ? Double.NaN : ctx.profile().high(s.observedAt(), window);
            recent = Math.max(Double.isNaN(high) ? 0 : high, leap);
            double c = Math.max(neededCapacity(backlogNow, input, peak, window), withstands(backlogNow, input, recent));
            int need = Numbers.ceilWorkers(c / perWorker);
            if (need <= lower) {
                break;
            }
            lower = need;
        }
        int down = lower;
        double pay = payback;
        double over = window;
        in.put("payback-seconds", pay);
        in.put("payback-window", over);
        in.put("payback-forecast-peak", peak);
        in.put("payback-burst-high", recent);
        double burst = recent;
        // Named only when it could matter: a leap the buffer would absorb from the forecast alone changes nothing.
        String ready = leap * reactionHorizon() > f.reactionPeak() * (reactionHorizon() + budget)
                ? " (ready for a leap to " + fmt(leap) + ": the input lately leapt " + fmt(surprise) + " × past what came before it)" : "";
        if (down >= current) {
            return Recommendation.hold(current, ReasonCode.HOLD_IN_RANGE, () -> z.state() + "; " + z.absorbs() + "; "
                    + z.sizing(needed, sized, plan) + ", but over the " + fmt(over) + " s a smaller size needs to repay its restart the forecast"
                    + " and a burst of " + fmt(burst) + ready + " need " + current + " or more", in);
        }
        return new Recommendation(down, ReasonCode.SCALE_DOWN_UTILIZATION, () -> z.state() + "; " + z.absorbs() + "; "
                + z.sizing(needed, sized, plan) + ", and " + down + " workers last the " + fmt(over) + " s they need to repay the restart ("
                + fmt(pay) + " s) and withstand a burst of " + fmt(burst) + ready + ", so " + down + " workers", in);
    }

    /**
     * The highest input to expect over the next {@code window} s: the profile's forecast, or what the same span of
     * the recent past reached (a window is likely to be as busy as the one before it), whichever is higher.
     */
    static double expectedPeak(TrafficProfile p, Instant now, double window, double input) {
        if (p == null) {
            return input;
        }
        double recent = p.recentPeak(now, window);
        return Math.max(p.peak(now, window, input), Double.isNaN(recent) ? input : recent);
    }

    /**
     * The capacity that, right after a scale-down's restart, withstands a burst of {@code peak} (the profile's high
     * for the window: bursts the job has had at this time of day) until a scale-up can take effect (one reaction
     * horizon) with the backlog still within the budget:
     * (B_R + peak × horizon) ÷ (horizon + budget). The buffer, not the size, takes the burst.
     */
    double withstands(double backlogNow, double input, double peak) {
        double afterRestart = backlogNow + input * (Numbers.seconds(restartTime) + Numbers.seconds(checkpointInterval) / 2);
        double h = reactionHorizon();
        return (afterRestart + peak * h) / (h + latencyBudget());
    }

    /**
     * Seconds a scale-down from {@code current} to {@code lower} workers takes to repay its restart: the new
     * workers paid through the restart while processing nothing, plus the replayed half checkpoint, in
     * worker-seconds, ÷ the workers saved.
     */
    double paybackSeconds(int lower, int current, double input, double perWorker) {
        double cost = Numbers.seconds(restartTime) * lower + input * Numbers.seconds(checkpointInterval) / 2 / perWorker;
        return cost / (current - lower);
    }

    /** The numbers a decision was made with, and the clauses its explanation is built from. */
    private record State(int current, double input, double perWorker, double capacity, double backlog, double budget,
                         Forecast f, double reaction) {

        String state() {
            return "input " + fmt(input) + " against " + fmt(capacity) + " (" + fmt(perWorker) + " per worker × " + current
                    + "), backlog time " + fmt(backlog / capacity) + " s of a " + fmt(budget) + " s budget; forecast "
                    + (f.warm() ? "from the traffic profile: peak " + fmt(f.reactionPeak()) + " within " + fmt(reaction) + " s, "
                    + fmt(f.planPeak()) + " over the planning horizon (" + fmt(f.ratio()) + " × now)" : "cold (reactive): the input now")
;
        }

        String fails() {
            return "at " + fmt(f.reactionPeak()) + " the backlog would pass the budget within " + fmt(reaction) + " s";
        }

        String absorbs() {
            return "the backlog stays within the budget for " + fmt(reaction) + " s even at " + fmt(f.reactionPeak());
        }

        String sizing(double needed, double sized, double plan) {
            return "the next " + fmt(plan) + " s need " + fmt(needed) + " events/s, ÷ " + fmt(perWorker) + " = " + fmt(sized) + " workers";
        }
    }
}

package dev.flinkfleet.simulator.report;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import dev.flinkfleet.simulator.RunResult;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.model.FluidJob;
import dev.flinkfleet.simulator.model.LatencyHistogram;

/**
 * The figures of one run as written to summary.json (snake_case). Latency percentiles are time-weighted over
 * the model's steps. {@code work_bound_vcpu_hours} is the cost of processing every event at full utilisation
 * with no restarts: total events ÷ per-worker-eps × vcpu-per-worker ÷ 3600. {@code cost_ratio} is vCPU-hours ÷
 * work bound; when the work bound is 0 (a trace with no events) no ratio is defined: it is NaN here, written as
 * {@code null} with the reason in {@code cost_ratio_undefined}. No other figure is ever NaN or infinite (the
 * inputs are bounded, see ReplayLimits), and {@link SummaryWriter} refuses to write one that is.
 * {@code budget_holds} counts the decisions to rescale that the fleet rescale budget held (HOLD_BUDGET), per job
 * and, in the total row, per fleet.
 */
public record Summary(
        String policy,
        String job,
        double vcpuHours,
        double workBoundVcpuHours,
        @JsonSerialize(using = FiniteOrNull.class) double costRatio,
        double slaViolationMinutes,
        double latencyP50S,
        double latencyP99S,
        double latencyMaxS,
        int rescales,
        double downtimeMinutes,
        double maxBacklogRecords,
        int budgetHolds) implements java.io.Serializable {

    /** Why {@code cost_ratio} is null in summary.json; absent when it is a number. */
    static final String NO_WORK = "the trace has no events, so the work bound is 0 and cost / work bound is undefined";

    @JsonProperty("cost_ratio_undefined")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public String costRatioUndefined() {
        return Double.isNaN(costRatio) ? NO_WORK : null;
    }

    /** Job name of the fleet-wide total row. */
    public static final String TOTAL = "(fleet total)";

    public static Summary of(String policy, SimContext.Setup setup, FluidJob f) {
        return of(policy, setup, f, 0);
    }

    /** The figures of one job of a fleet whose rescale budget held it {@code budgetHolds} times. */
    public static Summary of(String policy, SimContext.Setup setup, FluidJob f, int budgetHolds) {
        double events = setup.trace().totalEvents() * setup.scale();
        double bound = events / setup.model().perWorkerEps() * setup.model().vcpuPerWorker() / 3600.0;
        double vcpu = f.vcpuSeconds() / 3600.0;
        LatencyHistogram h = f.latencies();
        return new Summary(policy, setup.job().name(), vcpu, bound, bound > 0 ? vcpu / bound : Double.NaN,
                f.slaSeconds() / 60.0, h.quantile(0.5), h.quantile(0.99), h.max(), f.rescales(),
                f.downtimeSeconds() / 60.0, f.maxBacklog(), budgetHolds);
    }

    /** The fleet total of one policy's runs: sums, merged latency distribution, the largest backlog. */
    public static Summary total(String policy, List<RunResult> runs) {
        double vcpu = 0;
        double bound = 0;
        double sla = 0;
        double down = 0;
        double backlog = 0;
        int rescales = 0;
        int holds = 0;
        LatencyHistogram h = new LatencyHistogram();
        for (RunResult r : runs) {
            Summary s = r.summary();
            vcpu += s.vcpuHours;
            bound += s.workBoundVcpuHours;
            sla += s.slaViolationMinutes;
            down += s.downtimeMinutes;
            rescales += s.rescales;
            holds += s.budgetHolds;
            backlog = Math.max(backlog, s.maxBacklogRecords);
            h.addAll(r.latencies());
        }
        return new Summary(policy, TOTAL, vcpu, bound, bound > 0 ? vcpu / bound : Double.NaN, sla,
                h.quantile(0.5), h.quantile(0.99), h.max(), rescales, down, backlog, holds);
    }
}

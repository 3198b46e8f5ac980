package dev.flinkfleet.simulator.cli;

import java.util.List;
import java.util.Locale;

import dev.flinkfleet.simulator.report.Summary;

/** The summary as a plain-text table for the terminal (and reports pasted into issues). */
final class Table {

    private Table() {
    }

    static String render(List<Summary> rows) {
        int pw = 6;
        int jw = 3;
        for (Summary s : rows) {
            pw = Math.max(pw, s.policy().length());
            jw = Math.max(jw, s.job().length());
        }
        String pj = "| %-" + pw + "s | %-" + jw + "s |";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, pj + " %10s | %10s | %6s | %9s | %8s | %8s | %8s | %8s | %8s | %12s | %12s |%n",
                "policy", "job", "vcpu_h", "bound_h", "ratio", "sla_min", "p50_s", "p99_s", "max_s", "rescales", "down_min", "max_backlog", "budget_holds"));
        sb.append("|").append("---|".repeat(13)).append(System.lineSeparator());
        for (Summary s : rows) {
            String ratio = Double.isNaN(s.costRatio()) ? "n/a" : String.format(Locale.ROOT, "%.2f", s.costRatio());
            sb.append(String.format(Locale.ROOT, pj + " %10.1f | %10.1f | %6s | %9.1f | %8.1f | %8.1f | %8.1f | %8d | %8.1f | %12.0f | %12d |%n",
                    s.policy(), s.job(), s.vcpuHours(), s.workBoundVcpuHours(), ratio, s.slaViolationMinutes(),
                    s.latencyP50S(), s.latencyP99S(), s.latencyMaxS(), s.rescales(), s.downtimeMinutes(), s.maxBacklogRecords(), s.budgetHolds()));
        }
        return sb.toString();
    }
}

package dev.flinkfleet.simulator.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flinkfleet.simulator.RunResult;
import dev.flinkfleet.simulator.model.SeriesRecorder;
import dev.flinkfleet.simulator.model.SeriesRecorder.Metric;

/**
 * report.html: one self-contained page (ECharts inlined) with the summary table and, per run, rate vs capacity,
 * workers, backlog and latency against the SLA line. Series were downsampled while recording (min and max per
 * bucket), so the page stays light however long the trace.
 */
public final class HtmlReport {

    private HtmlReport() {
    }

    public static void write(Path file, String title, List<Summary> table, List<RunResult> runs) throws IOException {
        ArrayNode data = SummaryWriter.JSON.createArrayNode();
        for (RunResult r : runs) {
            if (r.series() == null) {
                continue;
            }
            ObjectNode o = data.addObject();
            o.put("title", r.summary().policy() + " — " + r.summary().job());
            o.put("sla", r.slaSeconds());
            SeriesRecorder s = r.series();
            ArrayNode t = o.putArray("t");
            ArrayNode[] cols = new ArrayNode[Metric.values().length];
            for (Metric m : Metric.values()) {
                cols[m.ordinal()] = o.putArray(m.name().toLowerCase(Locale.ROOT));
            }
            long half = s.bucketSeconds() / 2;
            for (int b = 0; b < s.buckets(); b++) {
                if (Double.isInfinite(s.min(b, Metric.RATE))) {
                    continue;
                }
                // Two points per bucket keep both extremes of every metric visible.
                t.add(s.bucketStart(b) * 1000);
                t.add((s.bucketStart(b) + half) * 1000);
                for (Metric m : Metric.values()) {
                    cols[m.ordinal()].add(round(s.min(b, m)));
                    cols[m.ordinal()].add(round(s.max(b, m)));
                }
            }
        }
        StringBuilder h = new StringBuilder(1 << 20);
        h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(Echarts.html(title)).append("</title>\n")
                .append("<style>body{font-family:sans-serif;margin:1em 2em}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}td:first-child,td:nth-child(2){text-align:left}")
                .append(".chart{width:100%;height:760px;margin-bottom:2em}</style>\n")
                .append("<script>").append(Echarts.script()).append("</script>\n</head><body>\n<h1>").append(Echarts.html(title)).append("</h1>\n");
        table(h, table);
        h.append("<p>Latency percentiles are time-weighted. cost_ratio = vcpu_hours ÷ work_bound_vcpu_hours (1 = every vCPU busy all the time, no restarts).</p>\n");
        h.append("<div id=\"charts\"></div>\n<script>const RUNS=").append(Echarts.scriptSafe(SummaryWriter.JSON.writeValueAsString(data))).append(";\n")
                .append(CHART_JS).append("</script>\n</body></html>\n");
        Files.writeString(file, h, StandardCharsets.UTF_8);
    }

    static void table(StringBuilder h, List<Summary> rows) {
        h.append("<table><tr><th>policy</th><th>job</th><th>vCPU-hours</th><th>work bound</th><th>cost ratio</th>")
                .append("<th>SLA violation min</th><th>latency p50 s</th><th>p99 s</th><th>max s</th><th>rescales</th>")
                .append("<th>downtime min</th><th>max backlog</th><th>budget holds</th></tr>\n");
        for (Summary s : rows) {
            h.append("<tr><td>").append(Echarts.html(s.policy())).append("</td><td>").append(Echarts.html(s.job())).append("</td>");
            for (double v : new double[] {s.vcpuHours(), s.workBoundVcpuHours(), s.costRatio(), s.slaViolationMinutes(),
                    s.latencyP50S(), s.latencyP99S(), s.latencyMaxS(), s.rescales(), s.downtimeMinutes(), s.maxBacklogRecords(), s.budgetHolds()}) {
                h.append("<td>").append(fmt(v)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a"; // cost ratio of a trace without events
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.1f" : "%.3f", v);
    }

    static double round(double v) {
        if (!Double.isFinite(v)) {
            return 0;
        }
        double a = Math.abs(v);
        double scale = a >= 1000 ? 1 : a >= 1 ? 100 : 10000;
        return Math.round(v * scale) / scale;
    }

    private static final String CHART_JS = """
            const host = document.getElementById('charts');
            RUNS.forEach((r, i) => {
              const h = document.createElement('h2'); h.textContent = r.title; host.appendChild(h);
              const d = document.createElement('div'); d.className = 'chart'; host.appendChild(d);
              const z = (a) => r.t.map((t, k) => [t, a[k]]);
              const grids = [0, 1, 2, 3].map(g => ({left: 80, right: 30, top: 40 + g * 180, height: 140}));
              const ax = grids.map((_, g) => ({type: 'time', gridIndex: g, axisLabel: {show: g === 3}}));
              const names = ['events/s', 'workers', 'backlog (records)', 'latency (s)'];
              const ay = grids.map((_, g) => ({type: 'value', gridIndex: g, name: names[g], scale: g === 1}));
              // Keep the SLA line on screen even when latency stays far below it.
              ay[3].max = (v) => Math.ceil(Math.max(v.max, r.sla) * 1.1 / 10) * 10;
              const line = (name, g, data, extra) => Object.assign({name, type: 'line', xAxisIndex: g, yAxisIndex: g,
                  showSymbol: false, sampling: 'lttb', lineStyle: {width: 1}, data}, extra || {});
              echarts.init(d).setOption({
                animation: false, tooltip: {trigger: 'axis'}, legend: {top: 5},
                grid: grids, xAxis: ax, yAxis: ay,
                axisPointer: {link: [{xAxisIndex: 'all'}]},
                dataZoom: [{type: 'inside', xAxisIndex: [0, 1, 2, 3]}, {type: 'slider', xAxisIndex: [0, 1, 2, 3], bottom: 5}],
                series: [
                  line('input rate', 0, z(r.rate)),
                  line('capacity', 0, z(r.capacity)),
                  line('workers', 1, z(r.workers), {step: 'end'}),
                  line('backlog', 2, z(r.backlog), {areaStyle: {opacity: 0.2}}),
                  line('latency', 3, z(r.latency), {markLine: {symbol: 'none', data: [{yAxis: r.sla, name: 'SLA'}],
                      label: {formatter: 'SLA ' + r.sla + ' s'}, lineStyle: {color: 'red'}}})
                ]
              });
            });
            """;
}

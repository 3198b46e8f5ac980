package dev.flinkfleet.simulator.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.flinkfleet.simulator.report.HtmlReportSupport;
import dev.flinkfleet.simulator.report.Summary;

/** pareto.json and pareto.html: each grid point's cost and SLA violations, the frontier, the baselines. */
public final class ParetoReport {

    /** One grid point. {@code summary} is the fleet total (or the only job). */
    public record Point(String name, Map<String, String> params, boolean pareto, Summary summary) {
    }

    /** One baseline, for reference on the same traces. */
    public record Baseline(String name, Summary summary) {
    }

    /** The whole file. */
    public record Sweep(String policy, List<String> traces, List<Point> points, List<Baseline> baselines) {
    }

    static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ParetoReport() {
    }

    public static void write(Path dir, Sweep sweep) throws IOException {
        Sweep rounded = new Sweep(sweep.policy(), sweep.traces(),
                sweep.points().stream().map(p -> new Point(p.name(), p.params(), p.pareto(), HtmlReportSupport.rounded(p.summary()))).toList(),
                sweep.baselines().stream().map(b -> new Baseline(b.name(), HtmlReportSupport.rounded(b.summary()))).toList());
        JSON.writeValue(dir.resolve("pareto.json").toFile(), rounded);
        String data = JSON.writeValueAsString(rounded);
        StringBuilder h = new StringBuilder(1 << 20);
        h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Sweep: ").append(HtmlReportSupport.html(sweep.policy()))
                .append("</title>\n<style>body{font-family:sans-serif;margin:1em 2em}#plot{width:100%;height:640px}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}</style>\n<script>")
                .append(HtmlReportSupport.echarts()).append("</script></head><body>\n<h1>Sweep of ").append(HtmlReportSupport.html(sweep.policy()))
                .append("</h1>\n<p>Each point is one grid combination replayed over ").append(sweep.traces().size())
                .append(" trace(s). Lower-left is better. The line joins the Pareto frontier; squares are the baselines.</p>\n")
                .append("<div id=\"plot\"></div>\n<h2>Summary</h2>\n");
        StringBuilder table = new StringBuilder();
        List<Summary> rows = new java.util.ArrayList<>();
        sweep.points().forEach(p -> rows.add(p.summary()));
        sweep.baselines().forEach(b -> rows.add(b.summary()));
        HtmlReportSupport.table(table, rows);
        h.append(table).append("<script>const SWEEP=").append(HtmlReportSupport.scriptSafe(data)).append(";\n").append(JS).append("</script></body></html>\n");
        Files.writeString(dir.resolve("pareto.html"), h, StandardCharsets.UTF_8);
    }

    private static final String JS = """
            const pt = (p) => ({name: p.name, value: [p.summary.vcpu_hours, p.summary.sla_violation_minutes]});
            const front = SWEEP.points.filter(p => p.pareto).map(pt).sort((a, b) => a.value[0] - b.value[0]);
            const series = [
              {name: 'grid', type: 'scatter', symbolSize: 8, data: SWEEP.points.map(pt)},
              {name: 'Pareto frontier', type: 'line', step: false, symbolSize: 10, data: front}
            ];
            SWEEP.baselines.forEach(b => series.push({name: b.name, type: 'scatter', symbol: 'rect', symbolSize: 14,
              label: {show: true, formatter: b.name, position: 'right'}, data: [pt(b)]}));
            echarts.init(document.getElementById('plot')).setOption({
              animation: false, legend: {top: 5},
              tooltip: {trigger: 'item', formatter: (p) => p.name + '<br>' + p.value[0].toFixed(1) + ' vCPU-h, ' + p.value[1].toFixed(1) + ' SLA min'},
              xAxis: {type: 'value', name: 'vCPU-hours', scale: true},
              yAxis: {type: 'value', name: 'SLA violation minutes'},
              series
            });
            """;
}

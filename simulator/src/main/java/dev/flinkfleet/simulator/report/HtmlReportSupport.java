package dev.flinkfleet.simulator.report;

import java.util.List;

/** Pieces of the HTML reports shared with the sweep's page. */
public final class HtmlReportSupport {

    private HtmlReportSupport() {
    }

    public static Summary rounded(Summary s) {
        return SummaryWriter.rounded(s);
    }

    public static String html(String text) {
        return Echarts.html(text);
    }

    public static String scriptSafe(String json) {
        return Echarts.scriptSafe(json);
    }

    public static String echarts() {
        return Echarts.script();
    }

    public static void table(StringBuilder h, List<Summary> rows) {
        HtmlReport.table(h, rows);
    }
}

package dev.flinkfleet.simulator.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The ECharts library from its webjar on the classpath, for inlining into self-contained pages. */
public final class Echarts {

    static final String RESOURCE = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

    private static volatile String script;

    private Echarts() {
    }

    public static String script() {
        String s = script;
        if (s == null) {
            try (InputStream in = Echarts.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("ECharts webjar missing from the classpath: " + RESOURCE);
                }
                s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + RESOURCE, e);
            }
            script = s;
        }
        return s;
    }

    /** Makes text safe inside an inline script element. */
    static String scriptSafe(String json) {
        return json.replace("</", "<\\/");
    }

    static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

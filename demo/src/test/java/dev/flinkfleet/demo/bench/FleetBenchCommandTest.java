package dev.flinkfleet.demo.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.flinkfleet.testkit.PrometheusServer;
import picocli.CommandLine;

/** {@code bench fleet} end to end at a small size: real broker, Prometheus and mock API server, two measured cycles. */
class FleetBenchCommandTest {

    private static final Pattern LAST = Pattern.compile(
            "fleet 50 jobs: cycle p50 \\d+ ms p99 \\d+ ms, heap \\d+ MiB, rss \\d+ MiB, metrics \\d+\\.\\d MB");
    private static final Pattern LOG_LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d+ ");
    /** The rest of a logged exception: its stack frames, causes and suppressed ones, which a log line carries. */
    private static final Pattern LOG_CONTINUATION = Pattern.compile("\\s+at |\\s+\\.\\.\\. \\d+ (more|common frames omitted)|(\\s*)(Caused by|Suppressed): |[\\w.$]+(Exception|Error)(: |$)");
    private static final Pattern ROW = Pattern.compile("  cycle \\d: .* jobs 50, .* backend calls: prometheus (\\d+), kafka (\\d+), .*");

    @Test
    void runsTheDaemonAgainstRealBackendsAndEndsWithTheFleetLine() {
        assumeTrue(PrometheusServer.findBinary().isPresent(), "needs the prometheus binary");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int code;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            // Surefire runs tests from a manifest-only jar; the backends' JVM needs the real class path.
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            code = new CommandLine(new BenchCommand()).execute("fleet", "--jobs", "50", "--cycles", "2", "--scrape-interval", "1s",
                    "--pause", "1s", "--backends-heap", "512m", "--backends-classpath", cp);
        } finally {
            System.setOut(stdout);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        // The test logging config writes log lines to stdout as well; the command's own lines are the rest.
        List<String> lines = out.lines().filter(l -> !LOG_LINE.matcher(l).lookingAt() && !LOG_CONTINUATION.matcher(l).lookingAt()).toList();
        assertTrue(LAST.matcher(lines.get(lines.size() - 1)).matches(), "last line: " + lines.get(lines.size() - 1) + "\n" + out);
        List<Matcher> rows = lines.stream().map(ROW::matcher).filter(Matcher::matches).toList();
        assertEquals(2, rows.size(), out);
        for (Matcher m : rows) {
            // The default templates: six signals, a value and a sample-time query each, whatever the fleet's size.
            assertEquals("12", m.group(1), m.group());
            // One batched read of the one cluster: a handful of Admin requests, not one per group.
            assertTrue(Integer.parseInt(m.group(2)) < 10, m.group());
        }
    }
}

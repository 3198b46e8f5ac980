package dev.flinkfleet.simulator.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkfleet.simulator.cli.SimulatorMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** With this module on the class path, {@code simulate --baselines} runs the operator's autoscaler as one of them. */
class SimulateBaselinesTest {

    @Test
    void baselinesIncludeTheOperatorsAutoscaler(@TempDir Path dir) throws Exception {
        // Six hours of one-minute rows, a daily-like rise and fall.
        List<String> lines = new ArrayList<>(List.of("timestamp,events_per_second"));
        Instant t = Instant.parse("2024-03-04T00:00:00Z");
        for (int m = 0; m < 360; m++) {
            lines.add(t.plusSeconds(60L * m) + "," + (2000 + 1500 * Math.sin(m * Math.PI / 360)));
        }
        Path trace = Files.write(dir.resolve("rise.csv"), lines);
        Path out = dir.resolve("out");

        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CommandLine cl = new CommandLine(new SimulatorMain());
        cl.setOut(new PrintWriter(stdout));
        cl.setErr(new PrintWriter(stderr));
        int code = cl.execute("simulate", "--trace", trace.toString(), "--baselines", "--out", out.toString());

        assertEquals(0, code, stderr::toString);
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        List<String> policies = new ArrayList<>();
        summary.findValues("policy").forEach(p -> policies.add(p.asText()));
        assertTrue(policies.contains(OperatorAutoscalerBaseline.NAME), "summary.json policies: " + policies);
        assertEquals(OperatorAutoscalerBaseline.NAME, policies.get(policies.size() - 1), "after the built-in baselines: " + policies);
        assertTrue(stdout.toString().contains(OperatorAutoscalerBaseline.NAME), stdout::toString);
    }
}

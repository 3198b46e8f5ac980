package dev.flinkfleet.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import picocli.CommandLine;

/** {@code demo --help} reads as prose at any width: wrapped by picocli, never broken again mid-sentence. */
class DemoHelpTest {

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {80, 120})
    void helpWrapsAtTheWidthOnly(int width) {
        PrintStream before = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        String help;
        try {
            System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
            CommandLine cl = new CommandLine(new DemoCommand());
            cl.setUsageHelpAutoWidth(false);
            cl.setUsageHelpWidth(width);
            help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
        } finally {
            System.setErr(before);
        }
        assertEquals("", warnings.toString(StandardCharsets.UTF_8), "picocli could not format a description");
        List<String> lines = help.lines().toList();
        lines.forEach(l -> assertTrue(l.length() <= width, "longer than " + width + ": " + l));
        // The description: from after the usage synopsis to the first option. Every line but its last is filled.
        int start = 0;
        while (lines.get(start).startsWith("Usage") || lines.get(start).startsWith(" ")) {
            start++;
        }
        int end = start;
        while (end < lines.size() && !lines.get(end).startsWith(" ")) {
            end++;
        }
        List<String> description = lines.subList(start, end);
        assertTrue(description.size() >= 2, help);
        for (String l : description.subList(0, description.size() - 1)) {
            assertTrue(l.length() > width - 20, "a line broken short (mid-sentence): '" + l + "'\n" + help);
        }
        assertTrue(help.contains("within 20 %)"), help);
        assertFalse(help.contains("%%"), help);
    }
}

package dev.flinkfleet.autoscaler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code completion bash}, run in a real bash: what a user gets on TAB. Also: the help lists demo and completion. */
class CompletionCommandTest {

    @TempDir
    static Path dir;
    static Path script;

    @BeforeAll
    static void generate() throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "completion", "bash");
        assertEquals(0, code, err.toString());
        script = Files.writeString(dir.resolve("autoscaler-completion.bash"), out.toString());
    }

    record Case(String typed, List<String> offered) {
        @Override
        public String toString() {
            return "'" + typed + "'";
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("bin/autoscaler ", List.of("policy", "config", "simulate", "run", "demo", "completion")),
                new Case("bin/autoscaler ru", List.of("run")),
                new Case("bin/autoscaler run --k", List.of("--kubeconfig")),
                new Case("bin/autoscaler run --con", List.of("--config", "--context")),
                new Case("bin/autoscaler policy ", List.of("check", "explain")));
    }

    /** Sources the script and calls its completion function as bash does on TAB after {@code typed}. */
    private static List<String> complete(String typed) throws IOException, InterruptedException {
        String words = typed.endsWith(" ") ? typed + "''" : typed;
        int cword = words.trim().split(" +").length - 1;
        String probe = "source '" + script + "'\n"
                + "COMP_WORDS=(" + words + "); COMP_CWORD=" + cword + "; COMP_LINE='" + typed + "'; COMP_POINT=${#COMP_LINE}\n"
                + "_complete_autoscaler 2>/dev/null\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder("bash", "-c", probe).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bash finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return Arrays.stream(out.split("\n")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void tabCompletes(Case c) throws Exception {
        List<String> offered = complete(c.typed());
        assertTrue(offered.containsAll(c.offered()), c.typed() + " offered " + offered);
    }

    @Test
    void helpListsDemoAndCompletion() {
        StringWriter out = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "--help"));
        for (String command : List.of("demo", "completion", "run")) {
            assertTrue(out.toString().lines().anyMatch(l -> l.trim().startsWith(command + " ")), command + " in\n" + out);
        }
    }

    @Test
    void demoReachedDirectlySaysWhereItRuns() {
        StringWriter err = new StringWriter();
        assertEquals(2, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "demo", "--minutes", "1"));
        assertTrue(err.toString().contains("bin/autoscaler demo --minutes 1"), err.toString());
    }
}

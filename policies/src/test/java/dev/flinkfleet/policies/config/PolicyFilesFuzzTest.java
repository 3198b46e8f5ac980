package dev.flinkfleet.policies.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.policies.governor.GovernorConfig;

/**
 * Property-based tests of policy files over generated HOCON: a valid file loads with exactly the values written;
 * a mutated file or random bytes either load or are rejected with a {@link PolicyFileException} whose every
 * message names the file and a line. Never another exception, never a hang.
 */
class PolicyFilesFuzzTest {

    private static final PolicyRegistry REGISTRY = PolicyRegistry.builtIn();
    private static final Duration PER_TRY = Duration.ofSeconds(5);
    private static Path dir;
    private static Path file;
    private static Pattern namesALine;

    @BeforeContainer
    static void createFolder() throws IOException {
        dir = Files.createTempDirectory("policy-fuzz");
        file = dir.resolve("fuzz.conf");
        namesALine = Pattern.compile("^" + Pattern.quote(file.toString()) + ":[0-9]+: .+", Pattern.DOTALL);
    }

    @AfterContainer
    static void deleteFolder() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The values of a valid policy file, and a seed for how it is written (layout, quoting, comments). */
    record Valid(int workers, int min, int extra, int slots, double tolerance, int upCooldownS, int downCooldownM,
                 int stepUp, double stepDown, int slaM, long style) {

        GovernorConfig governor() {
            return new GovernorConfig(min, min + extra, slots, true, false, tolerance, Duration.ofSeconds(upCooldownS),
                    Duration.ofMinutes(downCooldownM), Duration.ofMinutes(15), stepUp, stepDown, Duration.ofMinutes(5));
        }

        String text() {
            Random r = new Random(style);
            List<String> gov = new ArrayList<>(List.of(
                    key(r, "min-workers") + sep(r) + min,
                    key(r, "max-workers") + sep(r) + (min + extra),
                    key(r, "slots-per-worker") + sep(r) + slots,
                    key(r, "tolerance") + sep(r) + tolerance,
                    key(r, "scale-up-cooldown") + sep(r) + upCooldownS + (r.nextBoolean() ? "s" : " seconds"),
                    key(r, "scale-down-cooldown") + sep(r) + downCooldownM + (r.nextBoolean() ? "m" : " minutes"),
                    key(r, "max-step-up-workers") + sep(r) + stepUp,
                    key(r, "max-step-down-fraction") + sep(r) + stepDown));
            java.util.Collections.shuffle(gov, r);
            String nl = r.nextBoolean() ? "\n" : "\r\n";
            StringBuilder sb = new StringBuilder();
            if (r.nextBoolean()) {
                sb.append("# generated").append(nl);
            }
            sb.append("application {").append(nl);
            sb.append("  policy").append(sep(r)).append(r.nextBoolean() ? "static" : "\"static\"").append(nl);
            if (r.nextBoolean()) {
                sb.append("  params { workers").append(sep(r)).append(workers).append(" }").append(nl);
            } else {
                sb.append("  params.workers").append(sep(r)).append(workers).append(nl);
            }
            sb.append("  governor {").append(nl);
            for (String g : gov) {
                sb.append("    ").append(g).append(r.nextInt(4) == 0 ? "," : "").append(r.nextInt(5) == 0 ? " // note" : "").append(nl);
            }
            sb.append("  }").append(nl);
            sb.append("  sla-latency").append(sep(r)).append(slaM).append("m").append(nl);
            sb.append("}").append(r.nextBoolean() ? nl : "");
            return sb.toString();
        }

        private static String key(Random r, String k) {
            return r.nextInt(4) == 0 ? "\"" + k + "\"" : k;
        }

        private static String sep(Random r) {
            return switch (r.nextInt(4)) {
                case 0 -> " = ";
                case 1 -> ": ";
                case 2 -> "=";
                default -> "  =  ";
            };
        }
    }

    @Provide
    Arbitrary<Valid> validFiles() {
        return Combinators.combine(
                Arbitraries.integers().between(1, 100_000),
                Arbitraries.integers().between(1, 1000),
                Arbitraries.integers().between(0, 100_000),
                Arbitraries.integers().between(1, 64),
                Arbitraries.integers().between(0, 99).map(i -> i / 100.0),
                Arbitraries.integers().between(0, 86_400),
                Arbitraries.integers().between(0, 1440),
                Arbitraries.integers().between(0, 1000)).flatAs((w, min, extra, slots, tol, up, down, stepUp) -> Combinators.combine(
                        Arbitraries.integers().between(1, 100).map(i -> i / 100.0),
                        Arbitraries.integers().between(1, 10_000),
                        Arbitraries.longs()).as((stepDown, sla, style) -> new Valid(w, min, extra, slots, tol, up, down, stepUp, stepDown, sla, style)));
    }

    @Property(tries = 800)
    void validFilesLoadWithTheValuesWritten(@ForAll("validFiles") Valid v) {
        write(v.text().getBytes(StandardCharsets.UTF_8));
        ApplicationPolicy app = assertTimeoutPreemptively(PER_TRY, () -> PolicyFiles.loadFile(file, REGISTRY));
        assertEquals("fuzz", app.name());
        assertEquals(v.governor(), app.governorConfig());
        assertEquals(Duration.ofMinutes(v.slaM()), app.slaLatency());
        assertEquals(v.workers(), app.policy().recommend(Signals.builder(JobRef.parse("a/b"), Instant.EPOCH).build()).targetWorkers());
    }

    /** A valid file with 1 to 5 random damages, driven by {@code seed}. */
    record Mutated(Valid base, long seed) {

        String text() {
            Random r = new Random(seed);
            List<String> lines = new ArrayList<>(Arrays.asList(base.text().split("\n", -1)));
            for (int n = 1 + r.nextInt(5); n > 0; n--) {
                int at = r.nextInt(lines.size());
                String line = lines.get(at);
                switch (r.nextInt(7)) {
                    case 0 -> lines.set(at, line.replaceFirst("(=|:)\\s*[^,\\s}]+", "$1 " + java.util.regex.Matcher.quoteReplacement(VALUES[r.nextInt(VALUES.length)])));
                    case 1 -> lines.add(at, "  " + KEYS[r.nextInt(KEYS.length)] + " = " + VALUES[r.nextInt(VALUES.length)]);
                    case 2 -> lines.add(at, FRAGMENTS[r.nextInt(FRAGMENTS.length)]);
                    case 3 -> {
                        if (!line.isEmpty()) {
                            int c = r.nextInt(line.length());
                            lines.set(at, line.substring(0, c) + line.substring(c + 1));
                        }
                    }
                    case 4 -> lines.set(at, line + (char) r.nextInt(0x3000));
                    case 5 -> lines.remove(at == 0 && lines.size() == 1 ? 0 : at);
                    default -> java.util.Collections.swap(lines, at, r.nextInt(lines.size()));
                }
                if (lines.isEmpty()) {
                    lines.add("");
                }
            }
            return String.join("\n", lines);
        }
    }

    /** Values that are wrong for some key: fractions for counts, out of range, wrong types, non-finite. */
    static final String[] VALUES = {"10.5", "-1", "0", "1e400", "1e12", "NaN", "Infinity", "\"\"", "[1, 2]", "{ a = 1 }", "${nope}",
            "true", "2x", "60", "-5s", "0s", "1.5", "\"static\"", "statc", "null", "9999999999999999999999", "\"\u00e9\u0301\"",
            "\"\\u0000\"", "[\"\"]", "backlog-drain", "sla-headroom", "lag-threshold", "target-utilization"};
    /** Keys at every level, known and misspelt. */
    static final String[] KEYS = {"policy", "polcy", "name", "params.workers", "params.workerz", "params.scale-up-cpu", "governor.max-workers",
            "governor.min-workers", "governor.max-worker", "governor.tolerance", "governor.scale-up-cooldown", "sla-latency", "select.names",
            "select.namespaces", "select.labels.team", "select.labels.\"a.b/c\"", "kafka.topics", "kafka.cluster", "actuation.mode",
            "prometheus.job", "governor", "params", "select", "\"quoted key\"", "a.b.c.d.e", "application"};
    /** Whole lines that break the structure. */
    static final String[] FRAGMENTS = {"}", "{", "application {", "include \"missing.conf\"", "include required(\"nope.conf\")",
            "include file(\"/nonexistent/x.conf\")", "x = ${application.policy}", "y = ${?undefined}", "\"unterminated", "[", "]",
            "a = [1,", "///", "# comment", "application = 5", "application.governor.max-workers = 10.5", "\u0000", "\uFEFF", "=",
            "a b c", "application { governor { min-workers = 1000000 } }", "application.name = \"bad name\"", "+= 1", "app += [1]"};

    @Provide
    Arbitrary<Mutated> mutatedFiles() {
        return Combinators.combine(validFiles(), Arbitraries.longs()).as(Mutated::new);
    }

    @Property(tries = 2000)
    void mutatedFilesLoadOrNameALine(@ForAll("mutatedFiles") Mutated m) {
        loadOrRejectWithLines(m.text().getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 800)
    void randomBytesLoadOrNameALine(@ForAll byte[] junk, @ForAll boolean prefix) {
        byte[] head = prefix ? "application {\n".getBytes(StandardCharsets.UTF_8) : new byte[0];
        byte[] all = Arrays.copyOf(head, head.length + junk.length);
        System.arraycopy(junk, 0, all, head.length, junk.length);
        loadOrRejectWithLines(all);
    }

    private static void loadOrRejectWithLines(byte[] content) {
        write(content);
        String outcome = assertTimeoutPreemptively(PER_TRY, () -> {
            try {
                ApplicationPolicy app = PolicyFiles.loadFile(file, REGISTRY);
                assertTrue(app.governorConfig().maxWorkers() >= app.governorConfig().minWorkers(), app.toString());
                return "loaded";
            } catch (PolicyFileException e) {
                assertTrue(!e.errors().isEmpty(), "no problems listed");
                for (String m : e.errors()) {
                    assertTrue(namesALine.matcher(m).matches(), "problem names no line of the file: " + m);
                }
                return e.errors().size() == 1 ? "rejected, 1 problem" : "rejected, several problems";
            } catch (Throwable other) {
                return fail("not a PolicyFileException: " + other + " for:\n" + new String(content, StandardCharsets.UTF_8), other);
            }
        });
        Statistics.collect(outcome);
    }

    private static void write(byte[] content) {
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

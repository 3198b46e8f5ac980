package dev.flinkfleet.autoscaler.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.flinkfleet.policies.Adjustment;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Measurement;
import dev.flinkfleet.policies.PolicyContext;
import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.RememberedCapacity;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.policies.TrafficProfile;
import dev.flinkfleet.policies.config.ApplicationPolicy;
import dev.flinkfleet.policies.config.PolicyFileException;
import dev.flinkfleet.policies.config.PolicyFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code policy explain}: runs one application's real policy and governor on signals given on the command line
 * and shows every step: the signals and their quality, the recommendation, and what the governor made of it.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Show what a policy file decides for the given signals, and why.")
final class PolicyExplainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "An application policy file.")
    Path policyFile;

    @Option(names = "--signals", arity = "1..*", paramLabel = "KEY=VALUE",
            description = "Signals as key=value[@ageSeconds]: input-rate, throughput, backlog, backlog-growth, backlog-time, "
                    + "cpu, watermark-lag; and workers, parallelism, max-parallelism. Values are plain decimal numbers, finite and "
                    + ">= 0 (backlog-growth may be negative); cpu is a busy fraction 0..1 of a worker (its busiest subtask's "
                    + "busy time per second, not cores); workers, parallelism and max-parallelism are whole numbers >= 1. "
                    + "A signal left out or given as NaN is missing; any other bad value is an error (exit 2).")
    List<String> signals = new ArrayList<>();

    @Option(names = "--since-last-scale", paramLabel = "DURATION",
            description = "Time since the job was last rescaled (e.g. 90s, 5m, 5 minutes), to see cooldowns; default: never rescaled.")
    String sinceLastScale;

    @Option(names = "--remembered-capacity", paramLabel = "EVENTS_PER_SECOND",
            description = "The per-worker capacity the daemon remembers from when the job was busy (its governor state), "
                    + "which the rate policies size an idle or quiet job with; default: none remembered.")
    Double rememberedCapacity;

    @Option(names = "--state", paramLabel = "FILE",
            description = "The job's governor state as the daemon keeps it: the JSON of its flinkfleet.dev/governor-state "
                    + "annotation (last rescales, remembered capacity, traffic profile), so the predictive policy forecasts "
                    + "from the job's learned profile; --since-last-scale and --remembered-capacity override its parts.")
    Path stateFile;

    @Option(names = "--job", paramLabel = "NAMESPACE/NAME", description = "Job name to show; default: ${DEFAULT-VALUE}.")
    String job = "default/explain";

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    /** The wall clock: explain is an I/O edge; the policy and governor get {@code now} from here. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Instant now = clock.instant();
        JobRef ref;
        GovernorState state = GovernorState.empty();
        try {
            ref = JobRef.parse(job);
            if (stateFile != null) {
                state = GovernorState.fromMap(readState(stateFile));
            }
            if (sinceLastScale != null) {
                Duration since = Durations.parse("--since-last-scale", sinceLastScale);
                state = new GovernorState(now.minus(since), null, List.of(), state.capacity(), state.profile(), state.missingSince());
            }
            if (rememberedCapacity != null) {
                state = state.withCapacity(new RememberedCapacity(rememberedCapacity, now));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }

        ApplicationPolicy app;
        try {
            app = PolicyFiles.loadFile(policyFile, PolicyRegistry.builtIn());
        } catch (PolicyFileException e) {
            e.errors().forEach(m -> spec.commandLine().getErr().println("ERROR " + m));
            return Main.PROBLEMS;
        }

        Signals s;
        try {
            s = SignalArgs.parse(signals, ref, now, app.governorConfig().maxSignalAge().toMillis() / 1000.0,
                    app.governorConfig().slotsPerWorker());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--signals: " + e.getMessage().replace("\n", "\n--signals: "));
        }
        // As the control loop does: this cycle's sample first, then the policy with what is remembered.
        state = TrafficProfile.learn(RememberedCapacity.learn(state, s, now), s, now);
        Recommendation rec = app.policy().recommend(s, PolicyContext.of(state));
        Decision d = app.governor().decide(s, rec, app.policy(), state, now);

        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            out.println(mapper.writeValueAsString(toJson(app, s, state, now, d)));
        } else {
            printText(out, app, s, state, now, d);
        }
        return 0;
    }

    private static void printText(PrintWriter out, ApplicationPolicy app, Signals s, GovernorState state, Instant now, Decision d) {
        out.printf("application  %s (%s)%n", app.name(), app.source());
        out.printf("policy       %s%n", app.policyName());
        out.printf("job          %s: %d workers, parallelism %d, max parallelism %s%n", s.job(), s.currentWorkers(),
                s.currentParallelism(), s.maxParallelism() == 0 ? "unknown" : s.maxParallelism());
        out.printf("last rescale %s%n", state.lastScaleAt() == null ? "never" : Durations.format(Duration.between(state.lastScaleAt(), now)) + " ago");
        if (state.missingSince() != null) {
            out.printf("missing      needed signals missing since %s (%s ago)%n", state.missingSince(),
                    Durations.format(Duration.between(state.missingSince(), now).withNanos(0)));
        }
        out.printf("remembered   %s%n", state.capacity() == null ? "no capacity"
                : num(state.capacity().perWorker()) + " events/s per worker");
        TrafficProfile p = state.profile();
        out.printf("profile      %s%n", p == null ? "none (the forecast is the input now)"
                : Durations.format(Duration.ofSeconds(p.historySeconds())) + " of history, " + (p.warm() ? "warm" : "cold (under a day)")
                + ", surprise " + num(p.surprise(now)) + " ×");
        out.println();
        out.println("signals");
        for (Map.Entry<SignalKind, Measurement> e : s.asMap().entrySet()) {
            Measurement m = e.getValue();
            String value = m.isMissing() ? "-" : num(m.value());
            String quality = m.isMissing() ? "MISSING" : m.quality() + ", " + num(m.ageSeconds()) + "s old";
            out.printf("  %-15s %14s  %s%n", e.getKey().key(), value, quality);
        }
        out.println();
        Recommendation r = d.recommendation();
        out.printf("recommendation  %s: %d -> %d workers%n", r.reason(), s.currentWorkers(), r.targetWorkers());
        out.printf("  %s%n", r.explanation());
        r.inputs().forEach((k, v) -> out.printf("  %-22s %s%n", k, num(v)));
        out.println();
        out.printf("decision        %s: %s%n", d.reason(),
                d.changes() ? d.currentWorkers() + " -> " + d.targetWorkers() + " workers" : "hold at " + d.currentWorkers() + " workers");
        out.printf("  signal quality %s%n", d.signalQuality());
        if (d.adjustments().isEmpty()) {
            out.println("  governor changed nothing");
        }
        for (Adjustment a : d.adjustments()) {
            out.printf("  %s %d -> %d: %s%n", a.code(), a.from(), a.to(), a.why());
        }
    }

    private static Map<String, Object> toJson(ApplicationPolicy app, Signals s, GovernorState state, Instant now, Decision d) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("application", app.name());
        root.put("file", app.source());
        root.put("policy", app.policyName());
        root.put("job", s.job().toString());
        root.put("workers", s.currentWorkers());
        root.put("parallelism", s.currentParallelism());
        root.put("maxParallelism", s.maxParallelism());
        root.put("secondsSinceLastScale", state.lastScaleAt() == null ? null : Duration.between(state.lastScaleAt(), now).toSeconds());
        root.put("secondsSignalsMissing", state.missingSince() == null ? null : Duration.between(state.missingSince(), now).toSeconds());
        root.put("rememberedCapacityPerWorker", state.capacity() == null ? null : state.capacity().perWorker());
        TrafficProfile p = state.profile();
        root.put("profileHistorySeconds", p == null ? null : p.historySeconds());
        root.put("profileWarm", p == null ? null : p.warm());
        root.put("surprise", p == null ? null : finite(p.surprise(now)));
        Map<String, Object> sig = new LinkedHashMap<>();
        for (Map.Entry<SignalKind, Measurement> e : s.asMap().entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", finite(e.getValue().value()));
            m.put("ageSeconds", finite(e.getValue().ageSeconds()));
            m.put("quality", e.getValue().quality().name());
            sig.put(e.getKey().key(), m);
        }
        root.put("signals", sig);
        Recommendation r = d.recommendation();
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("targetWorkers", r.targetWorkers());
        rec.put("reason", r.reason().name());
        rec.put("explanation", r.explanation());
        Map<String, Object> inputs = new LinkedHashMap<>();
        r.inputs().forEach((k, v) -> inputs.put(k, finite(v)));
        rec.put("inputs", inputs);
        root.put("recommendation", rec);
        Map<String, Object> dec = new LinkedHashMap<>();
        dec.put("currentWorkers", d.currentWorkers());
        dec.put("targetWorkers", d.targetWorkers());
        dec.put("changes", d.changes());
        dec.put("reason", d.reason().name());
        dec.put("signalQuality", d.signalQuality().name());
        List<Map<String, Object>> adj = new ArrayList<>();
        for (Adjustment a : d.adjustments()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", a.code().name());
            m.put("from", a.from());
            m.put("to", a.to());
            m.put("why", a.why());
            adj.add(m);
        }
        dec.put("adjustments", adj);
        root.put("decision", dec);
        return root;
    }

    /** The governor-state annotation's JSON object: string values by key. */
    private static Map<String, String> readState(Path file) {
        try {
            Map<String, Object> m = new ObjectMapper().readValue(file.toFile(),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
            Map<String, String> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, String.valueOf(v)));
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--state " + file + ": not a governor-state JSON object: " + e.getMessage());
        }
    }

    /** JSON has no NaN or infinity: missing is null. */
    private static Double finite(Double v) {
        return v == null || !Double.isFinite(v) ? null : v;
    }

    private static String num(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }
}

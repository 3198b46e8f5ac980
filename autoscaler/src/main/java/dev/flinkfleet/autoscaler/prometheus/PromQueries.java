package dev.flinkfleet.autoscaler.prometheus;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.flinkfleet.policies.SignalKind;

/**
 * The fleet-wide PromQL for each signal, rendered once from the configured templates. Rendering is pure string
 * work so it is checked at startup: a template with an unknown placeholder, or a value query that does not
 * aggregate by the key labels, is a config error rather than a silent empty result later.
 */
public final class PromQueries {

    /** A signal's two queries, ready to send. */
    public record SignalQuery(SignalKind kind, String value, Optional<String> sampleTime) {
    }

    /** What the placeholders are replaced with; {@code {{key_labels}}} (and its older name {@code {{job_label}}}) become {@code keys.byClause()}. */
    public record Vars(SeriesKeys keys, String selector, Duration window, Duration step) {
        public Vars {
            java.util.Objects.requireNonNull(keys, "keys");
            selector = selector == null ? "" : selector.strip();
            if (selector.contains("{{") || selector.startsWith(",") || selector.endsWith(",")
                    || selector.startsWith("{") || selector.endsWith("}")) {
                throw new IllegalArgumentException("selector must be bare label matchers such as namespace=\"prod\", got '" + selector + "'");
            }
            if (window.isZero() || window.isNegative() || step.isZero() || step.isNegative()) {
                throw new IllegalArgumentException("window and step must be > 0, got " + window + " and " + step);
            }
        }

        /** Keyed by the job label alone. */
        public Vars(String jobLabel, String selector, Duration window, Duration step) {
            this(SeriesKeys.jobNameOnly(jobLabel), selector, window, step);
        }
    }

    static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_-]+)\\s*}}");
    private static final Set<String> KNOWN = Set.of("key_labels", "job_label", "selector", "window", "step");
    // An empty selector takes one neighbouring comma with it, so `{a="b", {{selector}}}` stays valid PromQL.
    private static final Pattern EMPTY_SELECTOR = Pattern.compile(
            "\\s*,\\s*\\{\\{\\s*selector\\s*}}|\\{\\{\\s*selector\\s*}}\\s*,\\s*|\\{\\{\\s*selector\\s*}}");

    private final Map<SignalKind, SignalQuery> queries;

    private PromQueries(Map<SignalKind, SignalQuery> queries) {
        this.queries = Collections.unmodifiableMap(new EnumMap<>(queries));
    }

    /**
     * Renders the templates. {@code templates} maps each signal to its value and sample-time templates; an
     * empty value template leaves the signal out, an empty sample-time template means "age unknown".
     *
     * @throws IllegalArgumentException naming the signal when a template is unusable
     */
    public static PromQueries render(Map<SignalKind, String[]> templates, Vars vars) {
        Map<SignalKind, SignalQuery> out = new EnumMap<>(SignalKind.class);
        for (Map.Entry<SignalKind, String[]> e : templates.entrySet()) {
            SignalKind kind = e.getKey();
            String value = e.getValue()[0] == null ? "" : e.getValue()[0].strip();
            String sampleTime = e.getValue()[1] == null ? "" : e.getValue()[1].strip();
            if (value.isEmpty()) {
                continue;
            }
            if (!PLACEHOLDER.matcher(value).results().anyMatch(m -> m.group(1).equals("key_labels") || m.group(1).equals("job_label"))) {
                throw new IllegalArgumentException(kind.key() + ".value must aggregate by {{key_labels}} "
                        + "(one query for the whole fleet, keyed by job), got: " + value);
            }
            String renderedValue = renderOne(kind.key() + ".value", value, vars);
            Optional<String> renderedTime = sampleTime.isEmpty()
                    ? Optional.empty()
                    : Optional.of(renderOne(kind.key() + ".sample-time", sampleTime, vars));
            out.put(kind, new SignalQuery(kind, renderedValue, renderedTime));
        }
        return new PromQueries(out);
    }

    /**
     * {@code selector} with a matcher for one job added ({@code job_label="job"}, the name escaped), for the
     * commands that read one job's history rather than the fleet's.
     */
    public static String selectorForJob(String jobLabel, String selector, String job) {
        return selectorForJob(SeriesKeys.jobNameOnly(jobLabel), selector, job);
    }

    /** {@code selector} with the matchers of one job added: {@code NAMESPACE/NAME} or a job name ({@link SeriesKeys#matcherFor}). */
    public static String selectorForJob(SeriesKeys keys, String selector, String job) {
        String match = keys.matcherFor(job);
        return selector == null || selector.isBlank() ? match : selector.strip() + ", " + match;
    }

    /** Replaces the placeholders of one template; {@code name} is used in error messages. */

    static String renderOne(String name, String template, Vars vars) {
        Set<String> unknown = new LinkedHashSet<>();
        PLACEHOLDER.matcher(template).results().map(m -> m.group(1)).filter(p -> !KNOWN.contains(p)).forEach(unknown::add);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(name + ": unknown placeholder(s) " + unknown + "; known: " + KNOWN.stream().sorted().toList());
        }
        String s = vars.selector().isEmpty()
                ? EMPTY_SELECTOR.matcher(template).replaceAll("")
                : replace(template, "selector", vars.selector());
        s = replace(s, "key_labels", vars.keys().byClause());
        s = replace(s, "job_label", vars.keys().byClause());
        s = replace(s, "window", promDuration(vars.window()));
        s = replace(s, "step", promDuration(vars.step()));
        return s;
    }

    private static String replace(String template, String name, String value) {
        return Pattern.compile("\\{\\{\\s*" + name + "\\s*}}").matcher(template).replaceAll(Matcher.quoteReplacement(value));
    }

    /** A PromQL duration literal: whole seconds as {@code 120s}, anything finer in milliseconds. */
    static String promDuration(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    /** The signals to read, in {@link SignalKind} order. */
    public Map<SignalKind, SignalQuery> bySignal() {
        return queries;
    }

    /** HTTP requests one {@link PromSignalReader#read} sends: one per value query, one per sample-time query. */
    public int requestsPerCycle() {
        return queries.values().stream().mapToInt(q -> q.sampleTime().isPresent() ? 2 : 1).sum();
    }
}

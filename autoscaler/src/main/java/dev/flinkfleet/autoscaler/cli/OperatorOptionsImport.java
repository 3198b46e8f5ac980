package dev.flinkfleet.autoscaler.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.typesafe.config.ConfigUtil;

import dev.flinkfleet.policies.builtin.TargetUtilizationPolicy;
import dev.flinkfleet.policies.config.Reference;

/**
 * Turns the Flink operator autoscaler's options on one FlinkDeployment ({@code job.autoscaler.*} and the older
 * {@code kubernetes.operator.job.autoscaler.*}) into a policy file for the {@code target-utilization} policy, the
 * one built on the same model. An option the job does not set takes the operator's default (flink-autoscaler
 * 1.10.0), so the file reproduces the behaviour the job had, not ours. Every option with no equivalent becomes a
 * note. Pure: text in, text out; docs/migrating-from-operator-autoscaler.md explains each mapping.
 */
final class OperatorOptionsImport {

    static final String PREFIX = "job.autoscaler.";
    static final String OLD_PREFIX = "kubernetes.operator.job.autoscaler.";

    /** The operator's defaults (flink-autoscaler 1.10.0, AutoScalerOptions) for the options that map. */
    static final Map<String, String> OPERATOR_DEFAULTS = Map.of(
            "target.utilization", "0.7",
            "target.utilization.boundary", "0.3",
            "stabilization.interval", "5 min",
            "scale-down.interval", "1 h",
            "catch-up.duration", "30 min",
            "restart.time", "5 min",
            "vertex.min-parallelism", "1",
            "vertex.max-parallelism", "200",
            "scale-down.max-factor", "0.6");

    /** Options read here (mapped, or turned into a specific note). */
    private static final List<String> HANDLED = List.of("enabled", "scaling.enabled", "target.utilization", "target.utilization.boundary",
            "stabilization.interval", "scale-down.interval", "scale-up.grace-period", "catch-up.duration", "restart.time",
            "vertex.min-parallelism", "vertex.max-parallelism", "scale-down.max-factor", "scale-up.max-factor", "excluded.periods",
            "metrics.window");

    /** Options of 1.10.0 with nothing like them here, and why. */
    private static final Map<String, String> NO_EQUIVALENT = noEquivalent();

    /** The result: the policy file's text and one note per option that did not carry over exactly. */
    record Result(String policyFile, List<String> notes) {
    }

    /** One line of a block: the key, its HOCON value, and where the value came from. */
    private record Line(String key, String value, String comment) {
    }

    private OperatorOptionsImport() {
    }

    /**
     * @param namespace the FlinkDeployment's namespace
     * @param name      its name (also the application's)
     * @param conf      its spec.flinkConfiguration, flattened
     * @param source    the file it was read from, for the header
     */
    static Result convert(String namespace, String name, Map<String, String> conf, String source) {
        return convert(namespace, name, conf, Map.of(), source);
    }

    /**
     * As above, with the operator-wide config ({@code operatorConf}, flattened) under the job's, as the operator
     * merges them: an option the job does not set comes from there before the built-in default.
     */
    static Result convert(String namespace, String name, Map<String, String> conf, Map<String, String> operatorConf, String source) {
        List<String> notes = new ArrayList<>();
        Map<String, String> whence = new LinkedHashMap<>();
        Map<String, String> merged = new LinkedHashMap<>(operatorConf);
        merged.putAll(conf);
        Map<String, String> opts = options(merged, notes);
        opts.keySet().forEach(k -> whence.put(k, isFromJob(k, opts.get(k), conf) ? "set on the job" : "in the operator's config"));
        List<Line> params = new ArrayList<>();
        List<Line> governor = new ArrayList<>();

        Double target = number(opts, "target.utilization", notes);
        if (target != null) {
            params.add(new Line("target-utilization", fmt(target), origin(opts, whence, "target.utilization")));
        }
        Double boundary = number(opts, "target.utilization.boundary", notes);
        double effectiveTarget = target != null ? target
                : Reference.get().getDouble("flinkfleet.policies." + TargetUtilizationPolicy.NAME + ".target-utilization");
        if (boundary != null && boundary >= effectiveTarget) {
            notes.add(key("target.utilization.boundary") + " = " + fmt(boundary) + " is not below the target utilization " + fmt(effectiveTarget)
                    + "; utilization-boundary must be, so it is left at our default");
        } else if (boundary != null) {
            params.add(new Line("utilization-boundary", fmt(boundary), origin(opts, whence, "target.utilization.boundary")));
        }
        Duration catchUp = duration(opts, "catch-up.duration", notes);
        if (catchUp != null && catchUp.isZero()) {
            notes.add(key("catch-up.duration") + " = 0 turns the operator's backlog-based sizing off; target-utilization always drains the "
                    + "backlog, so catch-up-duration is left at our default");
        } else if (catchUp != null) {
            params.add(new Line("catch-up-duration", Durations.format(catchUp), origin(opts, whence, "catch-up.duration")));
        }
        Duration restart = duration(opts, "restart.time", notes);
        if (restart != null) {
            params.add(new Line("restart-time", Durations.format(restart), origin(opts, whence, "restart.time")));
        }

        int slots = slots(conf, notes);
        if (slots != 1) {
            governor.add(new Line("slots-per-worker", String.valueOf(slots), "taskmanager.numberOfTaskSlots = " + slots + " on the job"));
        }
        Double minPar = number(opts, "vertex.min-parallelism", notes);
        Double maxPar = number(opts, "vertex.max-parallelism", notes);
        int minWorkers = minPar == null ? 1 : Math.max(1, (int) Math.ceil(minPar / slots));
        if (minPar != null && minWorkers != 1) {
            governor.add(new Line("min-workers", String.valueOf(minWorkers), origin(opts, whence, "vertex.min-parallelism") + ", / " + slots + " slots, rounded up"));
        }
        if (maxPar != null) {
            int maxWorkers = Math.max(minWorkers, (int) Math.floor(maxPar / slots));
            governor.add(new Line("max-workers", String.valueOf(maxWorkers), origin(opts, whence, "vertex.max-parallelism") + ", / " + slots + " slots, rounded down"));
        }
        Duration stabilization = duration(opts, "stabilization.interval", notes);
        if (stabilization != null) {
            // The operator scales nothing for this long after a rescale, in either direction.
            String why = origin(opts, whence, "stabilization.interval") + ": no rescale this long after the last one";
            governor.add(new Line("scale-up-cooldown", Durations.format(stabilization), why));
            governor.add(new Line("scale-down-cooldown", Durations.format(stabilization), why));
        }
        Duration downInterval = duration(opts, "scale-down.interval", notes);
        if (downInterval != null) {
            governor.add(new Line("scale-down-stabilization-window", Durations.format(downInterval.isNegative() ? Duration.ZERO : downInterval),
                    origin(opts, whence, "scale-down.interval") + ": a scale-down waits this long and goes to the highest need seen meanwhile"));
        }
        Double downFactor = number(opts, "scale-down.max-factor", notes);
        if (downFactor != null && (downFactor <= 0 || downFactor > 1)) {
            notes.add(key("scale-down.max-factor") + " = " + fmt(downFactor) + " is outside (0, 1]; max-step-down-fraction is left at our default");
        } else if (downFactor != null) {
            governor.add(new Line("max-step-down-fraction", fmt(downFactor), origin(opts, whence, "scale-down.max-factor")));
        }
        Double upFactor = number(opts, "scale-up.max-factor", notes);
        if (upFactor != null && upFactor < 1000) {
            notes.add(key("scale-up.max-factor") + " = " + fmt(upFactor) + " limits a scale-up to a factor of the current size; ours "
                    + "(max-step-up-workers) is a number of workers, so it is not set: choose one for the job's usual size");
        }
        String excluded = opts.get("excluded.periods");
        if (excluded != null && !excluded.isBlank()) {
            List<String> periods = Arrays.stream(excluded.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            governor.add(new Line("excluded-periods", "[" + String.join(", ", periods.stream().map(ConfigUtil::quoteString).toList()) + "]",
                    "excluded.periods on the job, same format"));
            notes.add(key("excluded.periods") + ": the operator does not rescale at all inside these periods; we only hold scale-downs "
                    + "(a scale-up still protects latency), and read them in excluded-periods-time-zone (UTC unless set; the operator "
                    + "uses its JVM's zone)");
        }
        if (opts.containsKey("metrics.window")) {
            notes.add(key("metrics.window") + " = " + opts.get("metrics.window") + " has no per-application equivalent: rates come from "
                    + "the daemon-wide flinkfleet.prometheus.window (2m)");
        }
        Boolean enabled = bool(opts.get("enabled"));
        Boolean scaling = bool(opts.get("scaling.enabled"));
        if (Boolean.TRUE.equals(enabled) && !Boolean.FALSE.equals(scaling)) {
            notes.add(key("enabled") + " = true: set it to \"false\" on the FlinkDeployment (or flinkfleet.kubernetes.actuator."
                    + "take-over-operator-autoscaler = true), else the daemon holds the job rather than fight the operator");
        } else if (Boolean.FALSE.equals(scaling)) {
            notes.add(key("scaling.enabled") + " = false: advisory mode; it can stay on beside us, we scale the job");
        }
        notes.add("the operator sizes each job vertex (pipeline.jobvertex-parallelism-overrides); this policy sizes the whole job "
                + "(flinkfleet.kubernetes.actuator.mode, taskmanager-replicas unless set)");
        return new Result(render(namespace, name, source, params, governor, notes), List.copyOf(notes));
    }

    /** The job's operator options by short key, the current key before the older one; unknown and unsupported ones noted. */
    private static Map<String, String> options(Map<String, String> conf, List<String> notes) {
        Map<String, String> opts = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        for (String prefix : List.of(PREFIX, OLD_PREFIX)) {
            conf.forEach((k, v) -> {
                if (k.startsWith(prefix) && !opts.containsKey(k.substring(prefix.length()))) {
                    opts.put(k.substring(prefix.length()), v.strip());
                    origin.put(k.substring(prefix.length()), k);
                }
            });
        }
        if (!opts.containsKey("scale-down.interval") && opts.containsKey("scale-up.grace-period")) {
            // The operator reads its deprecated name as a fallback.
            opts.put("scale-down.interval", opts.get("scale-up.grace-period"));
        }
        for (Map.Entry<String, String> e : new ArrayList<>(opts.entrySet())) {
            String k = e.getKey();
            if (NO_EQUIVALENT.containsKey(k)) {
                notes.add(origin.get(k) + " = " + e.getValue() + " has no equivalent: " + NO_EQUIVALENT.get(k));
            } else if (!HANDLED.contains(k)) {
                notes.add(origin.get(k) + " = " + e.getValue() + " is not an option of the operator's autoscaler 1.10.0; ignored");
            }
        }
        return opts;
    }

    /** The job's value, else the operator's default, else null. */
    private static String raw(Map<String, String> opts, String k) {
        String v = opts.get(k);
        return v != null ? v : OPERATOR_DEFAULTS.get(k);
    }

    /** True when the job's own config gives option {@code k} the value that won. */
    private static boolean isFromJob(String k, String value, Map<String, String> jobConf) {
        return value.equals(jobConf.getOrDefault(PREFIX + k, "").strip())
                || !jobConf.containsKey(PREFIX + k) && value.equals(jobConf.getOrDefault(OLD_PREFIX + k, "").strip());
    }

    private static String origin(Map<String, String> opts, Map<String, String> whence, String k) {
        return opts.containsKey(k) ? key(k) + " = " + opts.get(k) + " (" + whence.get(k) + ")"
                : key(k) + " = " + OPERATOR_DEFAULTS.get(k) + " (the operator's default)";
    }

    private static String key(String k) {
        return PREFIX + k;
    }

    private static Double number(Map<String, String> opts, String k, List<String> notes) {
        String v = raw(opts, k);
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v);
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // noted below
        }
        notes.add(key(k) + " = '" + v + "' is not a number; left at our default");
        return null;
    }

    private static Duration duration(Map<String, String> opts, String k, List<String> notes) {
        String v = raw(opts, k);
        if (v == null) {
            return null;
        }
        try {
            return flinkDuration(v);
        } catch (IllegalArgumentException e) {
            notes.add(key(k) + " = '" + v + "' is not a Flink duration; left at our default");
            return null;
        }
    }

    private static final Pattern FLINK_DURATION = Pattern.compile("(-?\\d+)\\s*([a-zµ]*)");

    /** Flink's duration syntax (TimeUtils): a number and a unit such as ms, s, sec, min, m, h, d or their long forms; no unit = ms. */
    static Duration flinkDuration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt") || t.startsWith("p")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(text, e);
            }
        }
        Matcher m = FLINK_DURATION.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException(text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "", "ms", "milli", "millis", "millisecond", "milliseconds" -> Duration.ofMillis(n);
            case "s", "sec", "secs", "second", "seconds" -> Duration.ofSeconds(n);
            case "m", "min", "mins", "minute", "minutes" -> Duration.ofMinutes(n);
            case "h", "hour", "hours" -> Duration.ofHours(n);
            case "d", "day", "days" -> Duration.ofDays(n);
            case "us", "µs", "micro", "micros", "microsecond", "microseconds" -> Duration.ofNanos(n * 1000);
            case "ns", "nano", "nanos", "nanosecond", "nanoseconds" -> Duration.ofNanos(n);
            default -> throw new IllegalArgumentException(text);
        };
    }

    private static int slots(Map<String, String> conf, List<String> notes) {
        String v = conf.get("taskmanager.numberOfTaskSlots");
        if (v == null) {
            return 1;
        }
        try {
            int s = Integer.parseInt(v.strip());
            if (s >= 1) {
                return s;
            }
        } catch (NumberFormatException ignored) {
            // noted below
        }
        notes.add("taskmanager.numberOfTaskSlots = '" + v + "' is not a positive integer; 1 slot per worker assumed");
        return 1;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static String render(String namespace, String name, String source, List<Line> params, List<Line> governor, List<String> notes) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Imported by `bin/autoscaler policy import --from-flinkdeployment` from FlinkDeployment ").append(namespace).append('/')
                .append(name).append(" (").append(source).append(").\n");
        sb.append("# Values the job did not set come from the operator's config (--operator-config) or else its autoscaler's defaults\n");
        sb.append("# (1.10.0), so this keeps the behaviour the job had. Mapping: docs/migrating-from-operator-autoscaler.md.\n");
        sb.append("# Keys and our defaults: `bin/autoscaler policy keys`.\n");
        if (!notes.isEmpty()) {
            sb.append("#\n# Not carried over exactly:\n");
            notes.forEach(n -> sb.append("# - ").append(n.replace("\n", " ")).append('\n'));
        }
        sb.append("application {\n");
        sb.append("  name = ").append(ConfigUtil.quoteString(name)).append('\n');
        sb.append("  select {\n");
        sb.append("    namespaces = [").append(ConfigUtil.quoteString(namespace)).append("]\n");
        sb.append("    names = [").append(ConfigUtil.quoteString(name)).append("]\n");
        sb.append("  }\n");
        sb.append("  # The operator's model: size to the true processing rate at a utilisation target.\n");
        sb.append("  policy = ").append(ConfigUtil.quoteString(TargetUtilizationPolicy.NAME)).append('\n');
        block(sb, "params", params);
        block(sb, "governor", governor);
        sb.append("}\n");
        return sb.toString();
    }

    private static void block(StringBuilder sb, String name, List<Line> lines) {
        sb.append("  ").append(name).append(" {\n");
        for (Line l : lines) {
            sb.append("    # ").append(l.comment()).append('\n');
            sb.append("    ").append(l.key()).append(" = ").append(l.value()).append('\n');
        }
        sb.append("  }\n");
    }

    private static Map<String, String> noEquivalent() {
        Map<String, String> m = new LinkedHashMap<>();
        String busy = "we size from the job's busiest subtask and its sources' throughput, not per vertex";
        m.put("backlog-processing.lag-threshold", "backlog is always drained within catch-up-duration; the governor's tolerance keeps small changes from rescaling");
        m.put("observed-true-processing-rate.lag-threshold", busy);
        m.put("observed-true-processing-rate.switch-threshold", busy);
        m.put("observed-true-processing-rate.min-observations", busy);
        m.put("scaling.effectiveness.detection.enabled", "there is no ineffective-scaling detection; max-workers bounds a job that does not speed up");
        m.put("scaling.effectiveness.threshold", "there is no ineffective-scaling detection");
        m.put("memory.gc-pressure.threshold", "memory is not watched");
        m.put("memory.heap-usage.threshold", "memory is not watched");
        m.put("memory.tuning.enabled", "memory is not tuned");
        m.put("memory.tuning.scale-down-compensation.enabled", "memory is not tuned");
        m.put("memory.tuning.overhead", "memory is not tuned");
        m.put("memory.tuning.maximize-managed-memory", "memory is not tuned");
        m.put("history.max.count", "the governor keeps its own recent recommendations (annotation flinkfleet.dev/governor-state)");
        m.put("history.max.age", "the governor keeps its own recent recommendations (annotation flinkfleet.dev/governor-state)");
        m.put("metrics.busy-time.aggregator", "CPU is the MAX busy time over all subtasks (flinkfleet.prometheus.queries.cpu)");
        m.put("vertex.exclude.ids", "the whole job is sized; no vertex is left out");
        m.put("scaling.event.interval", "events are recorded on every rescale and hold change");
        m.put("flink.rest-client.timeout", "signals come from Prometheus and Kafka, not the Flink REST API");
        m.put("quota.memory", "use max-workers (and the fleet's rescale budget) instead of a resource quota");
        m.put("quota.cpu", "use max-workers (and the fleet's rescale budget) instead of a resource quota");
        m.put("restart.time-tracking.enabled", "restart-time is fixed; set it to the job's observed restart time");
        m.put("restart.time-tracking.limit", "restart-time is fixed");
        return m;
    }

    /** Flink booleans: true or false in any case; anything else null. */
    private static Boolean bool(String v) {
        return v == null ? null : "true".equalsIgnoreCase(v) ? Boolean.TRUE : "false".equalsIgnoreCase(v) ? Boolean.FALSE : null;
    }
}

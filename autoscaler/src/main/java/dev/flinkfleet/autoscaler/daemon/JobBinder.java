package dev.flinkfleet.autoscaler.daemon;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import dev.flinkfleet.autoscaler.kafka.GroupBinding;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentView;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeployments;
import dev.flinkfleet.autoscaler.kubernetes.ModeFields;
import dev.flinkfleet.policies.ActuationMode;
import dev.flinkfleet.policies.Governor;
import dev.flinkfleet.policies.JobPlan;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.config.ApplicationPolicy;
import dev.flinkfleet.policies.config.Applications;
import dev.flinkfleet.policies.config.SignalWiring;
import dev.flinkfleet.policies.governor.PausedGovernor;

/**
 * Binds one FlinkDeployment to the application that governs it and works out where its signals come from and
 * how big it is. Pure: a view and the loaded applications in, a {@link Binding} out.
 *
 * <p>Application: the annotation {@code flinkfleet.dev/application} wins over selectors; otherwise exactly one
 * application's selector must match. Wiring: per-job annotations win over the application's templates, which
 * win over the daemon's defaults. Size: read with the job's {@link ActuationMode}, the same one the actuator
 * patches with, so the loop never decides from one field and patches another.
 */
public final class JobBinder {

    public static final String ANNOTATION_KAFKA_CLUSTER = FlinkDeployments.PREFIX + "kafka-cluster";
    public static final String ANNOTATION_CONSUMER_GROUP = FlinkDeployments.PREFIX + "consumer-group";
    /** Comma-separated topic names. */
    public static final String ANNOTATION_TOPICS = FlinkDeployments.PREFIX + "topics";
    public static final String ANNOTATION_PROMETHEUS_JOB = FlinkDeployments.PREFIX + "prometheus-job";

    /** Why a job is not bound. */
    public enum Problem {
        /** No application selects it: left alone (not an error; the fleet may hold jobs we do not govern). */
        NO_APPLICATION,
        /** Two or more applications select it: a configuration error, the job is held. */
        AMBIGUOUS,
        /** Its annotation names an application no policy file defines: an error, the job is held. */
        UNKNOWN_APPLICATION,
        /** Its spec cannot be read the way its application needs (size unknown or malformed): held. */
        INVALID
    }

    /** The outcome of binding one job. */
    public sealed interface Binding permits Bound, Unbound {
        JobRef job();
    }

    /**
     * A governed job.
     *
     * @param plan        what the loop runs for it (a pause-aware governor when paused), carrying its
     *                    {@link JobWiring} and {@link ActuationMode} to the signal source and the actuator
     * @param application its application
     * @param notes       what is missing but does not stop it being governed (e.g. no Kafka topics known)
     */
    public record Bound(JobPlan plan, ApplicationPolicy application, List<String> notes) implements Binding {
        public Bound {
            Objects.requireNonNull(plan.wiring(JobWiring.class), "a bound plan carries its wiring");
            Objects.requireNonNull(plan.mode(), "a bound plan carries its actuation mode");
            notes = List.copyOf(notes);
        }

        @Override
        public JobRef job() {
            return plan.job();
        }

        /** Where its signals come from, and its current size. */
        public JobWiring wiring() {
            return plan.wiring(JobWiring.class);
        }

        /** The field its size is read from and patched in. */
        public ActuationMode mode() {
            return plan.mode();
        }
    }

    /** A job the loop does not run, and why. */
    public record Unbound(JobRef job, Problem problem, String reason) implements Binding {
        /** True when the job should be governed but cannot be (held, reported as an error). */
        public boolean isError() {
            return problem != Problem.NO_APPLICATION;
        }
    }

    private final Applications applications;
    private final ActuationMode defaultMode;
    private final String defaultKafkaCluster;
    private final Set<String> kafkaClusters;

    /**
     * @param defaultMode         mode for applications that name none
     * @param defaultKafkaCluster cluster for applications and jobs that name none; empty = none
     * @param kafkaClusters       names of the configured Kafka clusters
     */
    public JobBinder(Applications applications, ActuationMode defaultMode, String defaultKafkaCluster, Set<String> kafkaClusters) {
        this.applications = Objects.requireNonNull(applications, "applications");
        this.defaultMode = Objects.requireNonNull(defaultMode, "defaultMode");
        this.defaultKafkaCluster = defaultKafkaCluster == null ? "" : defaultKafkaCluster;
        this.kafkaClusters = Set.copyOf(kafkaClusters);
    }

    public Applications applications() {
        return applications;
    }

    public Binding bind(FlinkDeploymentView v) {
        JobRef job = v.job();
        ApplicationPolicy app;
        String named = v.application();
        if (named != null) {
            app = applications.all().stream().filter(a -> a.name().equals(named)).findFirst().orElse(null);
            if (app == null) {
                return new Unbound(job, Problem.UNKNOWN_APPLICATION, "annotation " + FlinkDeployments.ANNOTATION_APPLICATION + " names application '"
                        + named + "', which no policy file defines; defined: " + applications.all().stream().map(ApplicationPolicy::name).sorted().toList());
            }
        } else {
            List<ApplicationPolicy> m = applications.matching(job, v.labels());
            if (m.isEmpty()) {
                return new Unbound(job, Problem.NO_APPLICATION, "no application selects it");
            }
            if (m.size() > 1) {
                return new Unbound(job, Problem.AMBIGUOUS, "selected by " + m.size() + " applications: "
                        + m.stream().map(a -> a.name() + " (" + a.source() + ")").collect(Collectors.joining(", "))
                        + "; narrow their selectors or bind it with annotation " + FlinkDeployments.ANNOTATION_APPLICATION);
            }
            app = m.get(0);
        }
        SignalWiring w = app.wiring();

        ActuationMode mode = w.actuationMode() == null ? defaultMode : w.actuationMode();
        int workers;
        int parallelism;
        try {
            Integer current = ModeFields.currentWorkers(mode, v);
            if (current == null) {
                return new Unbound(job, Problem.INVALID, ModeFields.field(mode) + " is not set, so its size is unknown (application "
                        + app.name() + " uses actuation mode " + mode.configName() + ")");
            }
            if (current < 1) {
                return new Unbound(job, Problem.INVALID, ModeFields.field(mode) + " is " + current + "; need at least 1 worker");
            }
            workers = current;
            int slots = v.taskSlots();
            parallelism = mode == ActuationMode.JOB_PARALLELISM && v.jobParallelism() != null && v.jobParallelism() >= 1
                    ? v.jobParallelism() : Math.multiplyExact(workers, slots);
        } catch (IllegalArgumentException | ArithmeticException e) {
            return new Unbound(job, Problem.INVALID, String.valueOf(e.getMessage()));
        }

        List<String> notes = new ArrayList<>();
        JobWiring wiring = wiring(job, app, v.annotations(), workers, parallelism, notes);
        Governor governor = v.paused() ? new PausedGovernor(app.governor()) : app.governor();
        return new Bound(new JobPlan(job, app.name(), app.policy(), governor, mode, wiring), app, notes);
    }

    /**
     * Binds a job found on a Flink REST endpoint ({@code flinkfleet.flink-rest}): selected by its reference
     * {@code <cluster>/<job name>} (it has no labels or annotations), sized by its parallelism, and only by an
     * application whose actuation mode is flink-rest, since it has no FlinkDeployment to patch.
     */
    public Binding bindRest(dev.flinkfleet.autoscaler.flinkrest.RestJob rest) {
        JobRef job = rest.ref();
        List<ApplicationPolicy> m = applications.matching(job, java.util.Map.of());
        if (m.isEmpty()) {
            return new Unbound(job, Problem.NO_APPLICATION, "no application selects it");
        }
        if (m.size() > 1) {
            return new Unbound(job, Problem.AMBIGUOUS, "selected by " + m.size() + " applications: "
                    + m.stream().map(a -> a.name() + " (" + a.source() + ")").collect(Collectors.joining(", ")) + "; narrow their selectors");
        }
        ApplicationPolicy app = m.get(0);
        ActuationMode mode = app.wiring().actuationMode();
        if (mode != ActuationMode.FLINK_REST) {
            return new Unbound(job, Problem.INVALID, "it runs on Flink REST endpoint '" + job.namespace() + "' but application " + app.name()
                    + " resizes FlinkDeployments (actuation mode " + (mode == null ? defaultMode : mode).configName()
                    + "); give it an application with actuation.mode = \"" + ActuationMode.FLINK_REST.configName() + "\"");
        }
        if (rest.parallelism() < 1) {
            return new Unbound(job, Problem.INVALID, "its parallelism is " + rest.parallelism() + "; need at least 1");
        }
        List<String> notes = new ArrayList<>();
        JobWiring wiring = wiring(job, app, java.util.Map.of(), rest.parallelism(), rest.parallelism(), notes);
        return new Bound(new JobPlan(job, app.name(), app.policy(), app.governor(), mode, wiring), app, notes);
    }

    /** Where a job's signals come from: annotations win over the application's templates, then the daemon's defaults. */
    private JobWiring wiring(JobRef job, ApplicationPolicy app, java.util.Map<String, String> annotations, int workers, int parallelism,
                             List<String> notes) {
        SignalWiring w = app.wiring();
        String cluster = firstNonBlank(annotations.get(ANNOTATION_KAFKA_CLUSTER), SignalWiring.expand(w.kafkaCluster(), job), defaultKafkaCluster);
        String topicsAnn = annotations.get(ANNOTATION_TOPICS);
        List<String> topics = topicsAnn != null && !topicsAnn.isBlank()
                ? Arrays.stream(topicsAnn.split(",")).map(String::strip).filter(t -> !t.isEmpty()).distinct().toList()
                : w.topics().stream().map(t -> SignalWiring.expand(t, job)).distinct().toList();
        String group = firstNonBlank(annotations.get(ANNOTATION_CONSUMER_GROUP), SignalWiring.expand(w.consumerGroup(), job));
        GroupBinding binding = null;
        if (topics.isEmpty()) {
            notes.add("no Kafka topics known (set kafka.topics in application " + app.name() + " or annotation " + ANNOTATION_TOPICS
                    + "); Kafka signals missing");
        } else if (cluster == null) {
            notes.add("no Kafka cluster named (kafka.cluster in application " + app.name() + ", annotation " + ANNOTATION_KAFKA_CLUSTER
                    + " or flinkfleet.daemon.default-kafka-cluster); Kafka signals missing");
        } else if (!kafkaClusters.contains(cluster)) {
            notes.add("Kafka cluster '" + cluster + "' is not defined under flinkfleet.daemon.kafka-clusters " + kafkaClusters.stream().sorted().toList()
                    + "; Kafka signals missing");
        } else if (group == null) {
            notes.add("consumer group is empty; Kafka signals missing");
        } else {
            binding = new GroupBinding(group, topics);
        }
        // Flink's Prometheus reporter (filterLabelValueCharacters, on by default) turns every character outside
        // [a-zA-Z0-9:_] in a label value into '_', so "fw-logs" is exported as job_name="fw_logs". A template is
        // expanded the same way; an explicit annotation is taken verbatim.
        String templated = SignalWiring.expand(w.prometheusJob(), job);
        String promJob = firstNonBlank(annotations.get(ANNOTATION_PROMETHEUS_JOB),
                templated == null ? null : flinkLabelValue(templated));

        return new JobWiring(job, binding == null ? null : cluster, binding, promJob, workers, parallelism);
    }

    /** A label value as Flink's Prometheus reporter exports it. */
    static String flinkLabelValue(String value) {
        return value.replaceAll("[^a-zA-Z0-9:_]", "_");
    }

    private static String firstNonBlank(String... values) {
        return DaemonSettings.firstNonBlank(values);
    }
}

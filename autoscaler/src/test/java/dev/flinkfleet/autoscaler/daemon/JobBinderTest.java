package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentView;
import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures.Builder;
import dev.flinkfleet.policies.ActuationMode;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.policies.config.Applications;
import dev.flinkfleet.policies.config.PolicyFiles;

class JobBinderTest {

    @TempDir
    static Path dir;
    static JobBinder binder;

    @BeforeAll
    static void policies() throws IOException {
        write("detection.conf", """
                application {
                  select { namespaces = ["sec"], names = ["det-*"] }
                  policy = "lag-threshold"
                  params { lag-per-worker = 100 }
                  kafka { topics = ["{name}-events"] }
                }""");
        write("warehouse.conf", """
                application {
                  select { labels { sink = "bq" } }
                  policy = "static"
                  kafka { cluster = "other", consumer-group = "{namespace}.{name}", topics = ["logs", "audit"] }
                  prometheus { job = "{namespace}-{name}" }
                  actuation { mode = "job-parallelism" }
                }""");
        write("bare.conf", """
                application {
                  select { names = ["bare-*"] }
                  kafka { cluster = "nowhere" }
                }""");
        write("sessions.conf", """
                application {
                  select { namespaces = ["sessions"] }
                  policy = "static"
                  kafka { topics = ["{name}-in"] }
                  actuation { mode = "flink-rest" }
                }""");
        binder = new JobBinder(new Applications(PolicyFiles.loadDir(dir, PolicyRegistry.builtIn())),
                ActuationMode.TASKMANAGER_REPLICAS, "main", Set.of("main", "other"));
    }

    private static void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }

    record Case(String name, String namespace, String job, UnaryOperator<Builder> setup, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("selected by one application, wiring from its templates", "sec", "det-1", b -> b,
                        "bound detection TASKMANAGER_REPLICAS workers=3 par=6 kafka=main/det-1/[det-1-events] prom=det_1 notes=0"),
                new Case("other application: its cluster, group and Prometheus templates, job-parallelism size", "etl", "w1",
                        b -> b.label("sink", "bq").parallelism(7),
                        "bound warehouse JOB_PARALLELISM workers=4 par=7 kafka=other/etl.w1/[logs, audit] prom=etl_w1 notes=0"),
                new Case("annotation binds to an application its selectors do not match", "sec", "det-2",
                        b -> b.annotation("flinkfleet.dev/application", "warehouse"),
                        "bound warehouse JOB_PARALLELISM workers=3 par=6 kafka=other/sec.det-2/[logs, audit] prom=sec_det_2 notes=0"),
                new Case("annotations override cluster, group, topics and Prometheus job", "sec", "det-3",
                        b -> b.annotation("flinkfleet.dev/kafka-cluster", "other").annotation("flinkfleet.dev/consumer-group", "g")
                                .annotation("flinkfleet.dev/topics", " t1, t2 ,t1").annotation("flinkfleet.dev/prometheus-job", "pj"),
                        "bound detection TASKMANAGER_REPLICAS workers=3 par=6 kafka=other/g/[t1, t2] prom=pj notes=0"),
                // Templates are exported the way Flink's reporter writes label values; an annotation is verbatim.
                new Case("Prometheus job annotation taken verbatim", "sec", "det-9",
                        b -> b.annotation("flinkfleet.dev/prometheus-job", "my-job.v2"),
                        "bound detection TASKMANAGER_REPLICAS workers=3 par=6 kafka=main/det-9/[det-9-events] prom=my-job.v2 notes=0"),
                new Case("no topics known: governed, Kafka signals missing", "x", "bare-1", b -> b,
                        "bound bare TASKMANAGER_REPLICAS workers=3 par=6 kafka=none prom=bare_1 notes=1"),
                new Case("cluster not configured: governed, Kafka signals missing", "x", "bare-2",
                        b -> b.annotation("flinkfleet.dev/topics", "t"),
                        "bound bare TASKMANAGER_REPLICAS workers=3 par=6 kafka=none prom=bare_2 notes=1"),
                new Case("no application selects it: left alone", "other", "unrelated", b -> b, "unbound NO_APPLICATION"),
                new Case("two applications select it: held", "sec", "det-4", b -> b.label("sink", "bq"), "unbound AMBIGUOUS"),
                new Case("annotation names an unknown application: held", "sec", "det-5",
                        b -> b.annotation("flinkfleet.dev/application", "detecton"), "unbound UNKNOWN_APPLICATION"),
                new Case("size field of the job's mode unset: held", "sec", "det-6", b -> b.replicas(null), "unbound INVALID"),
                new Case("job-parallelism mode reads spec.job.parallelism, not replicas", "etl", "w2",
                        b -> b.label("sink", "bq").replicas(null).parallelism(3),
                        "bound warehouse JOB_PARALLELISM workers=2 par=3 kafka=other/etl.w2/[logs, audit] prom=etl_w2 notes=0"),
                new Case("malformed slots: held", "sec", "det-7", b -> b.conf("taskmanager.numberOfTaskSlots", "two"), "unbound INVALID"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void binds(Case c) {
        FlinkDeploymentView v = FlinkDeploymentView.of(c.setup().apply(FlinkDeploymentFixtures.deployment(c.namespace(), c.job())).build());
        assertEquals(c.expected(), summary(binder.bind(v)));
    }

    @Test
    void unboundReasonsSayWhatToFix() {
        var ambiguous = (JobBinder.Unbound) binder.bind(FlinkDeploymentView.of(
                FlinkDeploymentFixtures.deployment("sec", "det-4").label("sink", "bq").build()));
        assertTrue(ambiguous.isError());
        assertTrue(ambiguous.reason().contains("detection") && ambiguous.reason().contains("warehouse")
                && ambiguous.reason().contains("flinkfleet.dev/application"), ambiguous.reason());
        var none = (JobBinder.Unbound) binder.bind(FlinkDeploymentView.of(FlinkDeploymentFixtures.deployment("o", "u").build()));
        assertEquals(false, none.isError());
        var unset = (JobBinder.Unbound) binder.bind(FlinkDeploymentView.of(FlinkDeploymentFixtures.deployment("sec", "det-6").replicas(null).build()));
        assertTrue(unset.reason().contains("spec.taskManager.replicas"), unset.reason());
    }

    @Test
    void pausedJobDecidesButHoldsWithHoldPaused() {
        var view = FlinkDeploymentView.of(FlinkDeploymentFixtures.deployment("sec", "det-8")
                .annotation("flinkfleet.dev/paused", "true").build());
        var b = (JobBinder.Bound) binder.bind(view);
        Signals s = Signals.builder(b.job(), DaemonTestSupport.NOW).workers(3).parallelism(6)
                .fresh(SignalKind.BACKLOG, 1000).build();
        var rec = b.plan().policy().recommend(s);
        Decision d = b.plan().governor().decide(s, rec, b.plan().policy(), GovernorState.empty(), DaemonTestSupport.NOW);
        assertEquals(ReasonCode.HOLD_PAUSED, d.reason());
        assertEquals(3, d.targetWorkers());
        assertEquals(false, d.changes());
        assertEquals(10, rec.targetWorkers(), "the policy still says what it would do");
        assertEquals(List.of(ReasonCode.HOLD_PAUSED), d.adjustments().stream().map(a -> a.code()).filter(r -> r == ReasonCode.HOLD_PAUSED).toList());

        var unpaused = (JobBinder.Bound) binder.bind(FlinkDeploymentView.of(FlinkDeploymentFixtures.deployment("sec", "det-8").build()));
        Decision live = unpaused.plan().governor().decide(s, rec, unpaused.plan().policy(), GovernorState.empty(), DaemonTestSupport.NOW);
        assertTrue(live.changes(), live.summary());
    }

    record RestCase(String name, String cluster, String job, int parallelism, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<RestCase> restCases() {
        return Stream.of(
                new RestCase("flink-rest application: sized by parallelism, wiring from its templates", "sessions", "orders-v2", 3,
                        "bound sessions FLINK_REST workers=3 par=3 kafka=main/orders-v2/[orders-v2-in] prom=orders_v2 notes=0"),
                new RestCase("selected by an application that patches FlinkDeployments: held", "sec", "det-1", 2, "unbound INVALID"),
                new RestCase("no application selects it: left alone", "elsewhere", "x", 2, "unbound NO_APPLICATION"),
                new RestCase("no parallelism known: held", "sessions", "starting", 0, "unbound INVALID"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("restCases")
    void bindsJobsFoundOnFlinkRestEndpoints(RestCase c) {
        var client = new dev.flinkfleet.autoscaler.flinkrest.FlinkRestClient(c.cluster(), java.net.URI.create("http://jm:8081"),
                java.time.Duration.ofSeconds(1), 1, java.time.Duration.ofMillis(1));
        var rest = new dev.flinkfleet.autoscaler.flinkrest.RestJob(new dev.flinkfleet.policies.JobRef(c.cluster(), c.job()), client,
                "0123456789abcdef0123456789abcdef", c.parallelism(), List.of());
        JobBinder.Binding b = binder.bindRest(rest);
        assertEquals(c.expected(), summary(b));
        if (b instanceof JobBinder.Unbound u && u.problem() == JobBinder.Problem.INVALID && c.parallelism() > 0) {
            assertTrue(u.reason().contains("actuation.mode = \"flink-rest\""), u.reason());
        }
    }

    private static String summary(JobBinder.Binding b) {
        if (b instanceof JobBinder.Unbound u) {
            return "unbound " + u.problem();
        }
        JobBinder.Bound bd = (JobBinder.Bound) b;
        JobWiring w = bd.wiring();
        String kafka = w.kafkaCluster() == null ? "none" : w.kafkaCluster() + "/" + w.group().groupId() + "/" + w.group().topics();
        return "bound " + bd.application().name() + " " + bd.mode() + " workers=" + w.workers() + " par=" + w.parallelism()
                + " kafka=" + kafka + " prom=" + w.promJob() + " notes=" + bd.notes().size();
    }
}

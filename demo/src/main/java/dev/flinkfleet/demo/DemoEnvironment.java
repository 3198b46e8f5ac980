package dev.flinkfleet.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentView;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeployments;
import dev.flinkfleet.testkit.EmbeddedKafka;
import dev.flinkfleet.testkit.PrometheusServer;
import dev.flinkfleet.testkit.flink.FlinkJob;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Everything around the daemon: an embedded Kafka broker with the job's topic, an embedded Kubernetes API server
 * holding one FlinkDeployment, the stand-in operator, the job (the real Flink job, or the Kafka-only stand-in),
 * optionally the real Prometheus scraping the job, and the producer replaying traffic. Closed in reverse order
 * of start.
 */
public final class DemoEnvironment implements AutoCloseable {

    public static final String NAMESPACE = "streaming";
    /** Label the daemon's selector looks for. */
    public static final String AUTOSCALE_LABEL = FlinkDeployments.PREFIX + "autoscale";

    /**
     * @param job                 FlinkDeployment name (also consumer group and Prometheus job_name)
     * @param application         application (policy file) the deployment is bound to by annotation
     * @param topic               topic the job reads
     * @param partitions          its partitions (the job's max parallelism)
     * @param initialWorkers      TaskManager replicas at start
     * @param recordsPerWorker    records/s one worker processes at most (the real job's map spends 1/this s of
     *                            CPU per record, so one subtask on a free core processes about this many)
     * @param checkpointInterval  checkpoint (offset commit) interval of the job
     * @param podStartDelay       how long the stand-in operator's new TaskManager pods take to start after a spec
     *                            change; the job processes nothing meanwhile
     * @param schedule            traffic to produce
     * @param prometheus          the prometheus binary to start, or empty to run without Prometheus
     * @param realFlink           run the real Flink job; false = the Kafka-only stand-in ({@link FakeFlinkJob})
     */
    public record Options(String job, String application, String topic, int partitions, int initialWorkers,
                          double recordsPerWorker, Duration checkpointInterval, Duration podStartDelay,
                          RateSchedule schedule, Optional<Path> prometheus, boolean realFlink) {
    }

    /** Slots of the real job's one TaskManager: the most workers it can run. */
    public static final int FLINK_SLOTS = 8;

    private final Options options;
    private final List<AutoCloseable> started = new ArrayList<>();
    private EmbeddedKafka kafka;
    private EmbeddedKubernetes kubernetes;
    private FakeOperator operator;
    private DemoJob job;
    private PrometheusServer prometheus;
    private TraceProducer producer;

    private DemoEnvironment(Options options) {
        this.options = options;
    }

    /** Starts everything but the traffic ({@link #startTraffic()}). */
    public static DemoEnvironment start(Options options, Clock clock) throws IOException {
        DemoEnvironment env = new DemoEnvironment(options);
        try {
            env.startAll(clock);
            return env;
        } catch (IOException | RuntimeException e) {
            env.close();
            throw e;
        }
    }

    private void startAll(Clock clock) throws IOException {
        kafka = track(EmbeddedKafka.start());
        kafka.createTopic(options.topic(), options.partitions());
        kubernetes = track(EmbeddedKubernetes.start());
        FakeOperator.Rollout rollout = FakeOperator.Rollout.NONE;
        if (options.realFlink()) {
            RealFlinkJob real = track(startRealJob());
            job = real;
            rollout = real;
        }
        operator = track(new FakeOperator(kubernetes.client(), NAMESPACE, options.podStartDelay(), rollout, clock));
        operator.start();
        kubernetes.client().genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(NAMESPACE)
                .resource(deployment()).create();
        if (!options.realFlink()) {
            FakeFlinkJob fake = track(new FakeFlinkJob(new FakeFlinkJob.Settings(options.job(), NAMESPACE, options.topic(),
                    options.recordsPerWorker(), options.checkpointInterval()), kubernetes.client(), kafka.bootstrapServers(), clock));
            fake.start();
            job = fake;
        }
        if (options.prometheus().isPresent()) {
            // The labels a PodMonitor copies from the FlinkDeployment's pods, so the daemon keys the series by namespace/name.
            prometheus = track(PrometheusServer.startLabelled(options.prometheus().get(),
                    java.util.Map.of(job.metricsTarget(), java.util.Map.of("namespace", NAMESPACE, "app", options.job())), Duration.ofSeconds(1)));
        }
        producer = new TraceProducer(kafka.bootstrapServers(), options.topic(), options.partitions(), options.schedule());
    }

    /** The real job at the deployment's initial size, one slot per TaskManager replica (as the deployment says). */
    private RealFlinkJob startRealJob() throws IOException {
        FlinkJob.Spec spec = new FlinkJob.Spec(options.job(), kafka.bootstrapServers(), options.topic(), options.job(),
                options.initialWorkers(), FLINK_SLOTS, Duration.ofNanos(Math.round(1e9 / options.recordsPerWorker())),
                options.checkpointInterval(), true);
        try {
            return RealFlinkJob.start(spec, 1);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("could not start the Flink job: " + e, e);
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        started.add(c);
        return c;
    }

    /** The FlinkDeployment a user would apply: a reactive-mode Kafka job bound to the demo application. */
    GenericKubernetesResource deployment() {
        Map<String, Object> conf = new LinkedHashMap<>();
        conf.put("taskmanager.numberOfTaskSlots", "1");
        conf.put("scheduler-mode", "REACTIVE");
        conf.put("execution.checkpointing.interval", options.checkpointInterval().toMillis() + "ms");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("image", "registry.example.com/streaming/" + options.job() + ":1.0.0");
        spec.put("flinkVersion", "v1_20");
        spec.put("serviceAccount", "flink");
        spec.put("flinkConfiguration", conf);
        spec.put("jobManager", Map.of("replicas", 1, "resource", Map.of("cpu", 1, "memory", "2048m")));
        spec.put("taskManager", new LinkedHashMap<>(Map.of("replicas", options.initialWorkers(),
                "resource", Map.of("cpu", 1, "memory", "2048m"))));
        spec.put("job", Map.of("jarURI", "local:///opt/flink/usrlib/" + options.job() + ".jar",
                "args", List.of("--topic", options.topic()), "upgradeMode", "savepoint", "state", "running"));
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(FlinkDeployments.API_VERSION).withKind(FlinkDeployments.KIND)
                .withNewMetadata().withNamespace(NAMESPACE).withName(options.job())
                .withLabels(Map.of("app.kubernetes.io/name", options.job(), AUTOSCALE_LABEL, "true"))
                .withAnnotations(Map.of(FlinkDeployments.ANNOTATION_APPLICATION, options.application()))
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }

    /** Starts producing traffic; time 0 of the schedule is now. */
    public void startTraffic() {
        producer.start();
    }

    public Options options() {
        return options;
    }

    public KubernetesClient client() {
        return kubernetes.client();
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The Prometheus URL, or empty when running without Prometheus. */
    public Optional<String> prometheusUrl() {
        return prometheus == null ? Optional.empty() : Optional.of(prometheus.url().toString());
    }

    public DemoJob job() {
        return job;
    }

    public FakeOperator operator() {
        return operator;
    }

    public TraceProducer producer() {
        return producer;
    }

    /** The deployment as the API server has it now. */
    public FlinkDeploymentView deploymentView() {
        return FlinkDeploymentView.of(kubernetes.client().genericKubernetesResources(FlinkDeployments.CONTEXT)
                .inNamespace(NAMESPACE).withName(options.job()).get());
    }

    /** spec.taskManager.replicas now. */
    public int specWorkers() {
        Integer r = deploymentView().taskManagerReplicas();
        return r == null ? 1 : r;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
        List<AutoCloseable> reverse = new ArrayList<>(started);
        Collections.reverse(reverse);
        for (AutoCloseable c : reverse) {
            try {
                c.close();
            } catch (Exception e) {
                // shutting down: keep closing the rest
            }
        }
    }
}

package dev.flinkfleet.demo;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentView;
import dev.flinkfleet.autoscaler.kubernetes.FlinkDeployments;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * Plays the Flink Kubernetes Operator for the demo: watches FlinkDeployments and, for every spec change it has
 * not handled (a generation bump), reports an upgrade in the status (lifecycle UPGRADING, job RESTARTING) and
 * tells the {@link Rollout} the old pods are gone; once the pod-start delay has passed it has the rollout run the
 * job at the new {@code spec.taskManager.replicas}, then reports the job running again (STABLE, RUNNING,
 * reconciliation DEPLOYED, observedGeneration = generation). The first generation it sees is the initial
 * deployment of a job already running: reported at once, without a restart. Status goes through the status
 * subresource, as the real operator writes it. A newer spec change during a restart supersedes the older one.
 */
public final class FakeOperator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FakeOperator.class);

    private final KubernetesClient client;
    private final String namespace;
    private final Duration podStartDelay;
    private final Rollout rollout;
    private final Clock clock;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-operator");
        t.setDaemon(true);
        return t;
    });
    /** Highest generation whose upgrade was started, per deployment name. Touched only on the executor. */
    private final Map<String, Long> handled = new ConcurrentHashMap<>();
    private volatile SharedIndexInformer<GenericKubernetesResource> informer;
    private volatile int upgrades;

    /** What a rollout does to the job the deployment runs. Called on the operator's one thread. */
    public interface Rollout {
        /** The spec changed: the job's pods are deleted, so it stops processing. */
        void stop(String deployment) throws Exception;

        /** New pods are ready after the pod-start delay: run the job with {@code replicas} TaskManagers; returns once it runs. */
        void start(String deployment, int replicas) throws Exception;

        /** The job id reported in {@code status.jobStatus.jobId}, or null. */
        default String jobIdForStatus() {
            return null;
        }

        /** For a job that follows the status itself (the Kafka-only stand-in): nothing to do. */
        Rollout NONE = new Rollout() {
            @Override
            public void stop(String deployment) {
            }

            @Override
            public void start(String deployment, int replicas) {
            }
        };
    }

    /**
     * @param podStartDelay how long new TaskManager pods take to start after a spec change (the job's downtime
     *                      before Flink's own restore)
     */
    public FakeOperator(KubernetesClient client, String namespace, Duration podStartDelay, Rollout rollout, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.podStartDelay = podStartDelay;
        this.rollout = rollout;
        this.clock = clock;
    }

    public void start() {
        informer = client.genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(namespace)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(GenericKubernetesResource r) {
                        executor.execute(() -> reconcile(r.getMetadata().getName()));
                    }

                    @Override
                    public void onUpdate(GenericKubernetesResource oldR, GenericKubernetesResource newR) {
                        executor.execute(() -> reconcile(newR.getMetadata().getName()));
                    }

                    @Override
                    public void onDelete(GenericKubernetesResource r, boolean unknownFinalState) {
                        handled.remove(r.getMetadata().getName());
                    }
                }, 0);
    }

    /** Spec changes (generation bumps) the operator has started to roll out so far. */
    public int upgrades() {
        return upgrades;
    }

    private void reconcile(String name) {
        GenericKubernetesResource r = get(name);
        if (r == null) {
            return;
        }
        long generation = generation(r);
        Long previous = handled.get(name);
        if (previous != null && generation <= previous) {
            return; // our own status write, or a change already in progress
        }
        handled.put(name, generation);
        if (previous == null) {
            finishUpgrade(name, generation); // the initial deployment: the job is already running
            return;
        }
        upgrades++;
        Integer replicas = FlinkDeploymentView.of(r).taskManagerReplicas();
        LOG.debug("{}: generation {} (replicas {}) -> restarting for {}", name, generation, replicas, podStartDelay);
        writeStatus(name, status -> {
            status.put("lifecycleState", "UPGRADING");
            jobStatus(status).put("state", "RESTARTING");
            reconciliation(status).put("state", "UPGRADING");
            return status;
        });
        try {
            rollout.stop(name);
        } catch (Exception e) {
            LOG.warn("{}: stopping the job failed: {}", name, e.toString());
        }
        executor.schedule(() -> finishUpgrade(name, generation), podStartDelay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void finishUpgrade(String name, long generation) {
        GenericKubernetesResource r = get(name);
        if (r == null || generation(r) != generation) {
            return; // a newer spec change took over; its own upgrade finishes it
        }
        Integer replicas = FlinkDeploymentView.of(r).taskManagerReplicas();
        try {
            rollout.start(name, replicas == null ? 1 : replicas);
        } catch (Exception e) {
            // The real operator would report the failed upgrade and retry; the demo says so and retries once a second.
            LOG.warn("{}: starting the job with {} TaskManagers failed, retrying: {}", name, replicas, e.toString());
            executor.schedule(() -> finishUpgrade(name, generation), 1, TimeUnit.SECONDS);
            return;
        }
        String jobId = rollout.jobIdForStatus();
        writeStatus(name, status -> {
            status.put("lifecycleState", "STABLE");
            status.put("jobManagerDeploymentStatus", "READY");
            Map<String, Object> js = jobStatus(status);
            js.put("state", "RUNNING");
            js.put("jobName", name);
            if (jobId != null) {
                js.put("jobId", jobId);
            }
            js.put("startTime", Long.toString(clock.millis()));
            Map<String, Object> rs = reconciliation(status);
            rs.put("state", "DEPLOYED");
            rs.put("reconciliationTimestamp", clock.millis());
            rs.put("lastReconciledSpec", "{\"spec\":{},\"resource_metadata\":{\"generation\":" + generation + "}}");
            status.put("observedGeneration", generation);
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("replicas", replicas == null ? 1 : replicas);
            tm.put("labelSelector", "component=taskmanager,app=" + name);
            status.put("taskManager", tm);
            return status;
        });
        LOG.debug("{}: generation {} running with {} TaskManagers", name, generation, replicas);
    }

    /** Read-modify-write of the status subresource, retried on a conflicting concurrent write. */
    private void writeStatus(String name, UnaryOperator<Map<String, Object>> change) {
        for (int attempt = 0; attempt < 10; attempt++) {
            GenericKubernetesResource r = get(name);
            if (r == null) {
                return;
            }
            Map<String, Object> status = r.getAdditionalProperties().get("status") instanceof Map<?, ?> m
                    ? copy(m) : new LinkedHashMap<>();
            r.setAdditionalProperty("status", change.apply(status));
            try {
                client.genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(namespace).resource(r).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    LOG.warn("{}: status write failed: {}", name, e.getMessage());
                    return;
                }
            }
        }
        LOG.warn("{}: status write kept conflicting; gave up", name);
    }

    private GenericKubernetesResource get(String name) {
        return client.genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(namespace).withName(name).get();
    }

    private static long generation(GenericKubernetesResource r) {
        Long g = r.getMetadata().getGeneration();
        return g == null ? 1 : g;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v instanceof Map<?, ?> nested ? copy(nested) : v));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jobStatus(Map<String, Object> status) {
        return (Map<String, Object>) status.computeIfAbsent("jobStatus", k -> new LinkedHashMap<String, Object>());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> reconciliation(Map<String, Object> status) {
        return (Map<String, Object>) status.computeIfAbsent("reconciliationStatus", k -> new LinkedHashMap<String, Object>());
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        executor.shutdownNow();
    }
}

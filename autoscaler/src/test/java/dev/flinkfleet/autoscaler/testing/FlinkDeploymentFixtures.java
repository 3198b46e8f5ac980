package dev.flinkfleet.autoscaler.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * Realistic FlinkDeployments for tests: the spec a user would apply for a reactive-mode Kafka job, and the
 * status the operator writes once the job runs. Also installs the operator's real CRD.
 */
public final class FlinkDeploymentFixtures {

    public static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup("flink.apache.org").withVersion("v1beta1").withKind("FlinkDeployment").withPlural("flinkdeployments")
            .withNamespaced(true).build();

    private FlinkDeploymentFixtures() {
    }

    /** Creates the operator's real FlinkDeployment CRD on the (mock) API server. */
    public static void installCrd(KubernetesClient client) {
        dev.flinkfleet.testkit.FlinkDeploymentCrd.install(client);
    }

    /** {@code spec.taskManager.replicas} of the FlinkDeployment as the API server holds it now. */
    @SuppressWarnings("unchecked")
    public static int replicas(KubernetesClient client, String namespace, String name) {
        GenericKubernetesResource r = client.genericKubernetesResources(CONTEXT).inNamespace(namespace).withName(name).get();
        Map<String, Object> spec = (Map<String, Object>) r.getAdditionalProperties().get("spec");
        return ((Number) ((Map<String, Object>) spec.get("taskManager")).get("replicas")).intValue();
    }

    public static Builder deployment(String namespace, String name) {
        return new Builder(namespace, name);
    }

    /** A FlinkDeployment under construction; defaults describe a healthy, stable, running job. */
    public static final class Builder {
        private final String namespace;
        private final String name;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final Map<String, String> annotations = new LinkedHashMap<>();
        private final Map<String, String> flinkConf = new LinkedHashMap<>();
        private Integer replicas = 3;
        private Integer parallelism = 6;
        private String lifecycle = "STABLE";
        private String reconciliation = "DEPLOYED";
        private String jobState = "RUNNING";
        private long observedGenerationLag = 0;
        private boolean withStatus = true;

        private Builder(String namespace, String name) {
            this.namespace = namespace;
            this.name = name;
            labels.put("app.kubernetes.io/name", name);
            labels.put("team", "detection");
            flinkConf.put("taskmanager.numberOfTaskSlots", "2");
            flinkConf.put("scheduler-mode", "REACTIVE");
            flinkConf.put("state.savepoints.dir", "s3://flink/savepoints/" + name);
            flinkConf.put("state.checkpoints.dir", "s3://flink/checkpoints/" + name);
            flinkConf.put("high-availability.type", "kubernetes");
            flinkConf.put("high-availability.storageDir", "s3://flink/ha/" + name);
        }

        public Builder replicas(Integer r) {
            this.replicas = r;
            return this;
        }

        public Builder parallelism(Integer p) {
            this.parallelism = p;
            return this;
        }

        public Builder conf(String key, String value) {
            if (value == null) {
                flinkConf.remove(key);
            } else {
                flinkConf.put(key, value);
            }
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Builder annotation(String key, String value) {
            annotations.put(key, value);
            return this;
        }

        public Builder lifecycle(String s) {
            this.lifecycle = s;
            return this;
        }

        public Builder reconciliation(String s) {
            this.reconciliation = s;
            return this;
        }

        public Builder jobState(String s) {
            this.jobState = s;
            return this;
        }

        /** The operator has not yet observed the latest {@code lag} generations. */
        public Builder observedGenerationLag(long lag) {
            this.observedGenerationLag = lag;
            return this;
        }

        public Builder noStatus() {
            this.withStatus = false;
            return this;
        }

        /** The object as a user would apply it (no status). */
        public GenericKubernetesResource spec() {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("image", "registry.example.com/detection/" + name + ":1.4.2");
            spec.put("flinkVersion", "v1_20");
            spec.put("serviceAccount", "flink");
            spec.put("flinkConfiguration", new LinkedHashMap<>(flinkConf));
            spec.put("jobManager", Map.of("replicas", 1, "resource", Map.of("cpu", 1, "memory", "2048m")));
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("resource", Map.of("cpu", 2, "memory", "4096m"));
            if (replicas != null) {
                tm.put("replicas", replicas);
            }
            spec.put("taskManager", tm);
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("jarURI", "local:///opt/flink/usrlib/" + name + ".jar");
            job.put("entryClass", "com.example.detection.Main");
            job.put("args", java.util.List.of("--topic", name + "-events"));
            if (parallelism != null) {
                job.put("parallelism", parallelism);
            }
            job.put("upgradeMode", "savepoint");
            job.put("state", "running");
            spec.put("job", job);
            return new GenericKubernetesResourceBuilder()
                    .withApiVersion("flink.apache.org/v1beta1").withKind("FlinkDeployment")
                    .withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels).withAnnotations(annotations).endMetadata()
                    .withAdditionalProperties(Map.of("spec", spec))
                    .build();
        }

        /** The status the operator would write for {@code generation}. */
        public Map<String, Object> status(long generation) {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("lifecycleState", lifecycle);
            status.put("jobManagerDeploymentStatus", "READY");
            Map<String, Object> js = new LinkedHashMap<>();
            js.put("jobId", "a1b2c3d4e5f60718293a4b5c6d7e8f90");
            js.put("jobName", name);
            js.put("state", jobState);
            js.put("startTime", "1764250000000");
            status.put("jobStatus", js);
            Map<String, Object> rs = new LinkedHashMap<>();
            rs.put("state", reconciliation);
            rs.put("reconciliationTimestamp", 1764250000000L);
            rs.put("lastReconciledSpec", "{\"spec\":{},\"resource_metadata\":{\"generation\":" + generation + "}}");
            status.put("reconciliationStatus", rs);
            status.put("observedGeneration", generation - observedGenerationLag);
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("replicas", replicas == null ? 1 : replicas);
            tm.put("labelSelector", "component=taskmanager,app=" + name);
            status.put("taskManager", tm);
            status.put("clusterInfo", Map.of("flink-version", "1.20.3"));
            return status;
        }

        /** The object with a status, without an API server (for pure tests). */
        public GenericKubernetesResource build() {
            GenericKubernetesResource r = spec();
            r.getMetadata().setGeneration(1L);
            r.getMetadata().setResourceVersion("1");
            r.getMetadata().setUid("uid-" + name);
            if (withStatus) {
                r.setAdditionalProperty("status", status(1));
            }
            return r;
        }

        /** Creates the object on the server, then writes its status through the status subresource, as the operator does. */
        public GenericKubernetesResource create(KubernetesClient client) {
            GenericKubernetesResource created = client.genericKubernetesResources(CONTEXT).inNamespace(namespace).resource(spec()).create();
            if (!withStatus) {
                return created;
            }
            long gen = created.getMetadata().getGeneration() == null ? 1 : created.getMetadata().getGeneration();
            created.setAdditionalProperty("status", status(gen));
            return client.genericKubernetesResources(CONTEXT).inNamespace(namespace).resource(created).updateStatus();
        }
    }
}

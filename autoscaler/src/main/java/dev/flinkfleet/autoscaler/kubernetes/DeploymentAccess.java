package dev.flinkfleet.autoscaler.kubernetes;

import dev.flinkfleet.policies.JobRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * The two API calls the actuator and the state store make on one FlinkDeployment. An interface so tests can
 * interpose another writer between a read and a patch.
 */
interface DeploymentAccess {

    /** The object from the API server (not a cache), or null when it does not exist. */
    GenericKubernetesResource get(JobRef job);

    /** Applies a JSON merge patch; the server rejects it with 409 when the body names a stale resourceVersion. */
    GenericKubernetesResource mergePatch(JobRef job, String json);

    static DeploymentAccess of(KubernetesClient client) {
        return new DeploymentAccess() {
            @Override
            public GenericKubernetesResource get(JobRef job) {
                return client.genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(job.namespace()).withName(job.name()).get();
            }

            @Override
            public GenericKubernetesResource mergePatch(JobRef job, String json) {
                return client.genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(job.namespace()).withName(job.name())
                        .patch(PatchContext.of(PatchType.JSON_MERGE), json);
            }
        };
    }
}

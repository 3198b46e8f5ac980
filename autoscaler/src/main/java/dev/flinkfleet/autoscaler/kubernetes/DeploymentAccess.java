package dev.flinkfleet.autoscaler.kubernetes;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.flinkfleet.policies.JobRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * The API calls the actuator and the state store make on one FlinkDeployment. An interface so tests can
 * interpose another writer between a read and a patch. Every write names {@link #FIELD_MANAGER}, so the
 * object's managedFields (and a GitOps tool reading them) show which fields this daemon owns.
 */
interface DeploymentAccess {

    /** The field manager every patch is sent with. */
    String FIELD_MANAGER = "flinkfleet";

    /** The object from the API server (not a cache), or null when it does not exist. */
    GenericKubernetesResource get(JobRef job);

    /** Applies a JSON merge patch; the server rejects it with 409 when the body names a stale resourceVersion. */
    GenericKubernetesResource mergePatch(JobRef job, String json);

    /**
     * Whether the server serves FlinkDeployments' {@code /scale} subresource. False when it does not, and when it
     * cannot tell (the caller then merge-patches the field itself, which works everywhere).
     */
    default boolean servesScale() {
        return false;
    }

    /**
     * Sets {@code spec.replicas} of the {@code /scale} subresource (an autoscaling/v1 Scale) by JSON merge patch,
     * the server applying it only to an object still at {@code resourceVersion} (else 409). Only called when
     * {@link #servesScale()}.
     */
    default GenericKubernetesResource scalePatch(JobRef job, String resourceVersion, int replicas) {
        throw new UnsupportedOperationException("no /scale subresource");
    }

    /** The patch options every write uses: JSON merge, field manager {@value #FIELD_MANAGER}. */
    static PatchContext mergePatchContext() {
        return new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager(FIELD_MANAGER).build();
    }

    static DeploymentAccess of(KubernetesClient client) {
        return new DeploymentAccess() {
            private final Logger log = LoggerFactory.getLogger(DeploymentAccess.class);
            /** Discovery's answer, asked once it succeeds; null until then. */
            private volatile Boolean scale;

            @Override
            public GenericKubernetesResource get(JobRef job) {
                return client.genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(job.namespace()).withName(job.name()).get();
            }

            @Override
            public GenericKubernetesResource mergePatch(JobRef job, String json) {
                return client.genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(job.namespace()).withName(job.name())
                        .patch(mergePatchContext(), json);
            }

            @Override
            public boolean servesScale() {
                Boolean known = scale;
                if (known != null) {
                    return known;
                }
                try {
                    // Discovery, as Kubernetes' own scale client does: needs no RBAC beyond what every client has.
                    boolean served = ScaleSubresource.served(client.getApiResources(FlinkDeployments.API_VERSION));
                    scale = served;
                    log.info("FlinkDeployment sizes are patched {}", served
                            ? "through the /scale subresource (the CRD declares it)" : "by merge patch (the API server lists no /scale subresource)");
                    return served;
                } catch (KubernetesClientException e) {
                    // Not remembered: asked again at the next patch. The merge patch meanwhile is always correct.
                    log.warn("API discovery of {} failed, merge-patching this time: {}", FlinkDeployments.API_VERSION, e.getMessage());
                    return false;
                }
            }

            @Override
            public GenericKubernetesResource scalePatch(JobRef job, String resourceVersion, int replicas) {
                try {
                    return client.genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(job.namespace()).withName(job.name())
                            .subresource(ScaleSubresource.NAME).patch(mergePatchContext(), ScaleSubresource.patch(resourceVersion, replicas));
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 403) {
                        throw e;
                    }
                    // A Role written before /scale was used grants patch on flinkdeployments only. The field itself is the
                    // same change, so make it and stop asking for /scale rather than fail every rescale.
                    scale = false;
                    log.warn("not allowed to patch {}/{} (grant patch on that resource to use it); merge-patching {} instead",
                            FlinkDeployments.PLURAL, ScaleSubresource.NAME, ScaleSubresource.SPEC_REPLICAS_PATH.substring(1));
                    return mergePatch(job, JsonPatches.mergePatch(resourceVersion, null,
                            java.util.Map.of("taskManager", java.util.Map.of("replicas", replicas))));
                }
            }
        };
    }
}

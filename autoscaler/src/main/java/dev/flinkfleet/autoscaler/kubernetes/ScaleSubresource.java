package dev.flinkfleet.autoscaler.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;

/**
 * The FlinkDeployment {@code /scale} subresource: whether the API server serves it, and the patch body for it.
 * The operator's CRD maps it to {@code .spec.taskManager.replicas} (FlinkDeploymentCrdScaleTest checks that
 * against the CRD in the operator-api jar), so in taskmanager-replicas mode a patch of the Scale's
 * {@code spec.replicas} is the same change as merge-patching the field, made the way HPA and KEDA make it.
 */
final class ScaleSubresource {

    /** The subresource's name in the URL path. */
    static final String NAME = "scale";

    /** The CRD field the operator's scale subresource carries ({@code specReplicasPath}). */
    static final String SPEC_REPLICAS_PATH = ".spec.taskManager.replicas";

    private ScaleSubresource() {
    }

    /** Whether a discovery answer for the FlinkDeployment group/version lists {@code flinkdeployments/scale}. */
    static boolean served(APIResourceList resources) {
        if (resources == null || resources.getResources() == null) {
            return false;
        }
        String name = FlinkDeployments.PLURAL + "/" + NAME;
        for (APIResource r : resources.getResources()) {
            if (name.equals(r.getName())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A JSON merge patch of an autoscaling/v1 Scale; with {@code resourceVersion} the server applies it only to an
     * object still at that version (the Scale's resourceVersion is its FlinkDeployment's), else answers 409.
     */
    static String patch(String resourceVersion, int replicas) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (resourceVersion != null) {
            body.put("metadata", Map.of("resourceVersion", resourceVersion));
        }
        body.put("spec", Map.of("replicas", replicas));
        try {
            return JsonPatches.MAPPER.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise scale patch", e);
        }
    }
}

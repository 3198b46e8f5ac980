package dev.flinkfleet.autoscaler.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.flinkfleet.policies.ActuationMode;
import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Rescales a job by JSON-merge-patching its FlinkDeployment (in taskmanager-replicas mode through the /scale
 * subresource where the API server serves it), every patch as field manager {@code flinkfleet}. Re-reads the
 * object from the API server (the decision may be a cycle old), re-checks safety and that the size is still the
 * one the decision started from, and sends the patch with the resourceVersion it checked, so a concurrent writer makes the patch fail (409)
 * instead of being overwritten. The same patch carries the governor state after the rescale (annotation
 * {@code flinkfleet.dev/governor-state}), so the cooldown is on the object the moment the size is. On a
 * conflict it re-reads once and retries only if nothing that matters changed; otherwise it skips and the loop
 * decides again next cycle.
 *
 * <p>Right before each patch it asks {@code mayPatch} (the daemon: "do I still hold the lease?"), so a replica
 * that lost leadership mid-cycle stops patching at once instead of finishing the cycle it started: the elector
 * gives up the lease a renew deadline before another replica may take it, and this check makes that margin
 * hold for the spec patches too.
 */
public final class FlinkDeploymentActuator implements Actuator {

    private static final Logger LOG = LoggerFactory.getLogger(FlinkDeploymentActuator.class);

    private final DeploymentAccess api;
    private final ActuatorSettings settings;
    private final Runnable onConflict;
    private final BooleanSupplier mayPatch;

    public FlinkDeploymentActuator(KubernetesClient client, ActuatorSettings settings) {
        this(DeploymentAccess.of(client), settings, () -> { }, () -> true);
    }

    /** {@code onConflict} runs on every 409 the API server answers (the daemon counts them). */
    public FlinkDeploymentActuator(KubernetesClient client, ActuatorSettings settings, Runnable onConflict) {
        this(DeploymentAccess.of(client), settings, onConflict, () -> true);
    }

    /**
     * @param onConflict runs on every 409 the API server answers (the daemon counts them)
     * @param mayPatch   asked right before every patch; false (leadership lost) skips the patch
     */
    public FlinkDeploymentActuator(KubernetesClient client, ActuatorSettings settings, Runnable onConflict, BooleanSupplier mayPatch) {
        this(DeploymentAccess.of(client), settings, onConflict, mayPatch);
    }

    FlinkDeploymentActuator(DeploymentAccess api, ActuatorSettings settings) {
        this(api, settings, () -> { }, () -> true);
    }

    FlinkDeploymentActuator(DeploymentAccess api, ActuatorSettings settings, Runnable onConflict) {
        this(api, settings, onConflict, () -> true);
    }

    FlinkDeploymentActuator(DeploymentAccess api, ActuatorSettings settings, Runnable onConflict, BooleanSupplier mayPatch) {
        this.api = Objects.requireNonNull(api, "api");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.onConflict = Objects.requireNonNull(onConflict, "onConflict");
        this.mayPatch = Objects.requireNonNull(mayPatch, "mayPatch");
    }

    private static Result notLeader(JobRef job) {
        LOG.info("{}: not patching, this replica no longer holds the leader lease", job);
        return Result.skipped(ReasonCode.HOLD_UNSAFE_STATE, "no longer the leader; the next leader decides");
    }

    /**
     * A patch ready to send, or the reason not to send one. With {@code scaleReplicas} the size goes through the
     * /scale subresource after {@code body} (annotations and any take-over) was merge-patched.
     */
    private record Plan(String body, Integer scaleReplicas, String resourceVersion, String change, Result refusal) {
        static Plan refuse(ReasonCode reason, String detail) {
            return new Plan(null, null, null, null, Result.skipped(reason, detail));
        }
    }

    /**
     * Sends the plan's patches. Through /scale the governor state goes first: a daemon killed between the two
     * leaves a cooldown without a rescale (a hold), never a rescale without its cooldown. The scale patch names
     * the resourceVersion the first patch produced, so a writer in between still makes it fail with 409.
     */
    private GenericKubernetesResource send(JobRef job, Plan plan) {
        GenericKubernetesResource after = api.mergePatch(job, plan.body());
        if (plan.scaleReplicas() == null) {
            return after;
        }
        String rv = after == null || after.getMetadata() == null || after.getMetadata().getResourceVersion() == null
                ? plan.resourceVersion() : after.getMetadata().getResourceVersion();
        return api.scalePatch(job, rv, plan.scaleReplicas());
    }

    @Override
    public Result apply(Decision decision) {
        JobRef job = decision.job();
        Plan plan = plan(api.get(job), decision);
        if (plan.refusal() != null) {
            LOG.info("{}: not rescaling {}->{}: {}", job, decision.currentWorkers(), decision.targetWorkers(), plan.refusal().detail());
            return plan.refusal();
        }
        if (settings.dryRun()) {
            LOG.info("{}: dry run, would patch {} ({})", job, plan.change(), decision.summary());
            return new Result(Outcome.DRY_RUN, null, "dry run: would set " + plan.change());
        }
        if (!mayPatch.getAsBoolean()) {
            return notLeader(job);
        }
        try {
            return patched(job, send(job, plan), plan);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Result.skipped(ReasonCode.HOLD_UNSAFE_STATE, "FlinkDeployment was deleted");
            }
            if (e.getCode() != 409) {
                throw e;
            }
            onConflict.run();
        }
        // Conflict: someone wrote between our read and our patch. Look again; retry only on unchanged ground.
        Plan again = plan(api.get(job), decision);
        if (again.refusal() != null) {
            String detail = "changed by another writer; " + again.refusal().detail();
            LOG.info("{}: conflict, not retrying: {}", job, detail);
            return Result.skipped(again.refusal().reason(), detail);
        }
        if (!mayPatch.getAsBoolean()) {
            return notLeader(job);
        }
        try {
            return patched(job, send(job, again), again);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 || e.getCode() == 404) {
                if (e.getCode() == 409) {
                    onConflict.run();
                }
                LOG.info("{}: conflict twice, deciding again next cycle", job);
                return Result.skipped(ReasonCode.HOLD_UNSAFE_STATE, "FlinkDeployment keeps changing (HTTP " + e.getCode() + " twice); will decide again");
            }
            throw e;
        }
    }

    private Result patched(JobRef job, GenericKubernetesResource after, Plan plan) {
        Long gen = after == null || after.getMetadata() == null ? null : after.getMetadata().getGeneration();
        String detail = "set " + plan.change() + (gen == null ? "" : " (generation " + gen + ")");
        LOG.info("{}: {}", job, detail);
        return Result.applied(detail);
    }

    private static String stateJson(Decision d) {
        try {
            return JsonPatches.MAPPER.writeValueAsString(d.stateAfter(true).toMap());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(d.job() + ": cannot serialise governor state", e);
        }
    }

    /** Checks the freshly read object against the decision and builds the patch. Pure apart from logging. */
    private Plan plan(GenericKubernetesResource r, Decision d) {
        if (r == null) {
            return Plan.refuse(ReasonCode.HOLD_UNSAFE_STATE, "FlinkDeployment not found");
        }
        FlinkDeploymentView v;
        Integer current;
        try {
            v = FlinkDeploymentView.of(r);
            current = ModeFields.currentWorkers(settings.mode(), v);
        } catch (IllegalArgumentException e) {
            return Plan.refuse(ReasonCode.HOLD_ERROR, e.getMessage());
        }
        if (v.paused()) {
            return Plan.refuse(ReasonCode.HOLD_PAUSED, "paused by annotation " + FlinkDeployments.ANNOTATION_PAUSED);
        }
        SafetyCheck.Verdict safety = SafetyCheck.check(v);
        if (!safety.safe()) {
            return Plan.refuse(safety.reason(), safety.detail());
        }
        if (v.operatorAutoscalerEnabled() && !settings.takeOverOperatorAutoscaler()) {
            return Plan.refuse(ReasonCode.HOLD_UNSAFE_STATE, "the operator's own autoscaler is on (" + FlinkDeployments.CONF_OPERATOR_AUTOSCALER
                    + "=true); turn it off or configure take-over");
        }
        if (current == null) {
            return Plan.refuse(ReasonCode.HOLD_UNSAFE_STATE, ModeFields.field(settings.mode()) + " is not set; size unknown");
        }
        if (current != d.currentWorkers()) {
            return Plan.refuse(ReasonCode.HOLD_UNSAFE_STATE, "size is now " + current + " workers, decision was made for "
                    + d.currentWorkers() + "; will decide again");
        }
        Map<String, Object> spec;
        try {
            spec = new LinkedHashMap<>(ModeFields.specPatch(settings.mode(), v, d.targetWorkers(), settings.vertexIds()));
        } catch (IllegalArgumentException | ArithmeticException e) {
            return Plan.refuse(ReasonCode.HOLD_ERROR, e.getMessage());
        }
        // In replicas mode the size goes through /scale where the server serves it (what HPA and KEDA use, and
        // what GitOps tools are told to leave alone); the merge patch of the field is the fallback.
        Integer scaleReplicas = settings.mode() == ActuationMode.TASKMANAGER_REPLICAS && api.servesScale() ? d.targetWorkers() : null;
        if (scaleReplicas != null) {
            spec.remove("taskManager");
        }
        String change = ModeFields.field(settings.mode()) + (scaleReplicas != null ? " (via /scale)" : "") + " for "
                + d.currentWorkers() + "->" + d.targetWorkers() + " workers";
        if (v.operatorAutoscalerEnabled()) {
            // Same patch, so there is never a moment where both autoscalers act on the new size.
            JsonPatches.deepMerge(spec, Map.of("flinkConfiguration", Map.of(FlinkDeployments.CONF_OPERATOR_AUTOSCALER, "false")));
            change += ", " + FlinkDeployments.CONF_OPERATOR_AUTOSCALER + "=false (taking over)";
        }
        // The governor state after this rescale goes in the same patch: a daemon killed between the rescale and
        // the state store's own write would otherwise restart without the cooldown and rescale the job again.
        Map<String, String> annotations = Map.of(FlinkDeployments.ANNOTATION_GOVERNOR_STATE, stateJson(d));
        return new Plan(JsonPatches.mergePatch(v.resourceVersion(), annotations, spec), scaleReplicas, v.resourceVersion(), change, null);
    }
}

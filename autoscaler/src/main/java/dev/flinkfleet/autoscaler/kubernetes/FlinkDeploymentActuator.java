package dev.flinkfleet.autoscaler.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Rescales a job by JSON-merge-patching its FlinkDeployment. Re-reads the object from the API server (the
 * decision may be a cycle old), re-checks safety and that the size is still the one the decision started from,
 * and sends the patch with the resourceVersion it checked, so a concurrent writer makes the patch fail (409)
 * instead of being overwritten. On a conflict it re-reads once and retries only if nothing that matters
 * changed; otherwise it skips and the loop decides again next cycle.
 */
public final class FlinkDeploymentActuator implements Actuator {

    private static final Logger LOG = LoggerFactory.getLogger(FlinkDeploymentActuator.class);

    private final DeploymentAccess api;
    private final ActuatorSettings settings;
    private final Runnable onConflict;

    public FlinkDeploymentActuator(KubernetesClient client, ActuatorSettings settings) {
        this(DeploymentAccess.of(client), settings, () -> { });
    }

    /** {@code onConflict} runs on every 409 the API server answers (the daemon counts them). */
    public FlinkDeploymentActuator(KubernetesClient client, ActuatorSettings settings, Runnable onConflict) {
        this(DeploymentAccess.of(client), settings, onConflict);
    }

    FlinkDeploymentActuator(DeploymentAccess api, ActuatorSettings settings) {
        this(api, settings, () -> { });
    }

    FlinkDeploymentActuator(DeploymentAccess api, ActuatorSettings settings, Runnable onConflict) {
        this.api = Objects.requireNonNull(api, "api");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.onConflict = Objects.requireNonNull(onConflict, "onConflict");
    }

    /** A patch ready to send, or the reason not to send one. */
    private record Plan(String body, String change, Result refusal) {
        static Plan refuse(ReasonCode reason, String detail) {
            return new Plan(null, null, Result.skipped(reason, detail));
        }
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
        try {
            return patched(job, api.mergePatch(job, plan.body()), plan);
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
        try {
            return patched(job, api.mergePatch(job, again.body()), again);
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

    /** Checks the freshly read object against the decision and builds the patch. Pure apart from logging. */
    private Plan plan(GenericKubernetesResource r, Decision d) {
        if (r == null) {
            return Plan.refuse(ReasonCode.HOLD_UNSAFE_STATE, "FlinkDeployment not found");
        }
        FlinkDeploymentView v;
        Integer current;
        try {
            v = FlinkDeploymentView.of(r);
            current = settings.mode().currentWorkers(v);
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
            return Plan.refuse(ReasonCode.HOLD_UNSAFE_STATE, settings.mode().field() + " is not set; size unknown");
        }
        if (current != d.currentWorkers()) {
            return Plan.refuse(ReasonCode.HOLD_UNSAFE_STATE, "size is now " + current + " workers, decision was made for "
                    + d.currentWorkers() + "; will decide again");
        }
        Map<String, Object> spec;
        try {
            spec = new LinkedHashMap<>(settings.mode().specPatch(v, d.targetWorkers(), settings.vertexIds()));
        } catch (IllegalArgumentException | ArithmeticException e) {
            return Plan.refuse(ReasonCode.HOLD_ERROR, e.getMessage());
        }
        String change = settings.mode().field() + " for " + d.currentWorkers() + "->" + d.targetWorkers() + " workers";
        if (v.operatorAutoscalerEnabled()) {
            // Same patch, so there is never a moment where both autoscalers act on the new size.
            JsonPatches.deepMerge(spec, Map.of("flinkConfiguration", Map.of(FlinkDeployments.CONF_OPERATOR_AUTOSCALER, "false")));
            change += ", " + FlinkDeployments.CONF_OPERATOR_AUTOSCALER + "=false (taking over)";
        }
        return new Plan(JsonPatches.mergePatch(v.resourceVersion(), null, spec), change, null);
    }
}

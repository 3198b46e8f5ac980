package dev.flinkfleet.autoscaler.kubernetes;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.JobPlan;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Sits in front of {@link FlinkDeploymentActuator} and settles, right before a rescale, whether the Flink operator's
 * own autoscaler acts on the job once the operator-wide defaults are counted ({@link OperatorAutoscaler}). The
 * actuator itself judges the job's own {@code flinkConfiguration}; this adds what only the operator's config says:
 *
 * <ul>
 * <li>on through an operator-wide default: held, or with take-over, {@code job.autoscaler.enabled: "false"} is
 * written on the job first and the rescale follows once the operator has observed it (next cycle);</li>
 * <li>unknown (the job does not set the key and the operator's config cannot be read): held;</li>
 * <li>advisory mode ({@code job.autoscaler.scaling.enabled: false}): we rescale, and say so in the result and,
 * once per job, in the log.</li>
 * </ul>
 */
public final class OperatorCoexistenceActuator implements Actuator {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorCoexistenceActuator.class);

    private final DeploymentAccess api;
    private final Supplier<OperatorDefaults> defaults;
    private final ActuatorSettings settings;
    private final BooleanSupplier mayPatch;
    private final Actuator delegate;
    private final Set<JobRef> advisoryLogged = ConcurrentHashMap.newKeySet();

    /**
     * @param defaults the operator's defaults, asked once per rescale
     * @param settings take-over and dry run as the delegate has them
     * @param mayPatch asked right before the take-over patch; false (leadership lost) skips it
     * @param delegate the FlinkDeployment actuator
     */
    public OperatorCoexistenceActuator(KubernetesClient client, Supplier<OperatorDefaults> defaults, ActuatorSettings settings,
                                       BooleanSupplier mayPatch, Actuator delegate) {
        this(DeploymentAccess.of(client), defaults, settings, mayPatch, delegate);
    }

    OperatorCoexistenceActuator(DeploymentAccess api, Supplier<OperatorDefaults> defaults, ActuatorSettings settings,
                                BooleanSupplier mayPatch, Actuator delegate) {
        this.api = Objects.requireNonNull(api, "api");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.mayPatch = Objects.requireNonNull(mayPatch, "mayPatch");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public Result apply(Decision decision) throws Exception {
        return apply(null, decision);
    }

    @Override
    public Result apply(JobPlan plan, Decision decision) throws Exception {
        JobRef job = decision.job();
        GenericKubernetesResource r = api.get(job);
        Map<String, String> conf;
        try {
            conf = r == null ? null : FlinkDeploymentView.of(r).flinkConfiguration();
        } catch (IllegalArgumentException e) {
            conf = null;
        }
        if (conf == null) {
            // Not found or unreadable: the delegate reads it again and says which.
            return pass(plan, decision);
        }
        OperatorAutoscaler verdict = OperatorAutoscaler.of(conf, defaults.get());
        boolean judgedByDelegate = OperatorAutoscaler.ofJob(conf).mayScale();
        switch (verdict.mode()) {
            case OFF:
                return pass(plan, decision);
            case ADVISORY:
                if (advisoryLogged.add(job)) {
                    LOG.info("{}: the operator's autoscaler runs in advisory mode beside us ({}); flinkfleet rescales the job", job, verdict.because());
                }
                Result result = pass(plan, decision);
                return new Result(result.outcome(), result.reason(), result.detail()
                        + "; the operator's autoscaler is in advisory mode (" + verdict.because() + "), flinkfleet scales");
            default:
                break;
        }
        advisoryLogged.remove(job);
        if (judgedByDelegate) {
            // The job's own keys turn it on: the actuator holds or takes over in the same patch as the rescale.
            return pass(plan, decision);
        }
        if (verdict.mode() == OperatorAutoscaler.Mode.UNKNOWN) {
            return hold(job, "cannot tell whether the operator's autoscaler scales this job: " + verdict.because());
        }
        if (!settings.takeOverOperatorAutoscaler()) {
            return hold(job, "the operator's autoscaler is on for this job through the operator's defaults (" + verdict.because()
                    + "); set " + OperatorAutoscaler.ENABLED + ": \"false\" on the job, or configure take-over");
        }
        return takeOver(job, r, verdict);
    }

    private Result pass(JobPlan plan, Decision decision) throws Exception {
        return plan == null ? delegate.apply(decision) : delegate.apply(plan, decision);
    }

    private static Result hold(JobRef job, String detail) {
        LOG.info("{}: not rescaling: {}", job, detail);
        return Result.skipped(ReasonCode.HOLD_UNSAFE_STATE, detail);
    }

    /** Writes {@code job.autoscaler.enabled: "false"} on the job alone; the rescale follows once the operator has seen it. */
    private Result takeOver(JobRef job, GenericKubernetesResource r, OperatorAutoscaler verdict) {
        String change = OperatorAutoscaler.ENABLED + "=false on the job (the operator's defaults had it on: " + verdict.because() + ")";
        if (settings.dryRun()) {
            LOG.info("{}: dry run, would take over from the operator's autoscaler: {}", job, change);
            return new Result(Outcome.DRY_RUN, null, "dry run: would set " + change);
        }
        if (!mayPatch.getAsBoolean()) {
            return Result.skipped(ReasonCode.HOLD_UNSAFE_STATE, "no longer the leader; the next leader decides");
        }
        String body = JsonPatches.mergePatch(r.getMetadata().getResourceVersion(), Map.of(),
                Map.of("flinkConfiguration", Map.of(OperatorAutoscaler.ENABLED, "false")));
        try {
            api.mergePatch(job, body);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 || e.getCode() == 404) {
                return Result.skipped(ReasonCode.HOLD_UNSAFE_STATE, "FlinkDeployment changed while taking over (HTTP " + e.getCode() + "); will decide again");
            }
            throw e;
        }
        LOG.info("{}: took over from the operator's autoscaler: set {}", job, change);
        return Result.skipped(ReasonCode.HOLD_UNSAFE_STATE, "took over from the operator's autoscaler: set " + change
                + "; the rescale follows once the operator has observed it");
    }
}

package dev.flinkfleet.autoscaler.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.policies.Actuator.Outcome;
import dev.flinkfleet.policies.Actuator.Result;
import dev.flinkfleet.policies.JobRef;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/**
 * The daemon's FlinkDeployment actuator chain (coexistence check in front of the real actuator) against the mock
 * API with the operator's CRD, the operator's ConfigMap in its own namespace.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorCoexistenceActuatorTest {

    static KubernetesClient client;
    private static final AtomicInteger NS = new AtomicInteger();
    private static final String OPERATOR_NS = "flink-operator";

    @BeforeAll
    static void crd() {
        FlinkDeploymentFixtures.installCrd(client);
    }

    record Case(String name, Map<String, String> jobConf, String operatorConfigYaml, boolean takeOver, boolean dryRun,
                Outcome outcome, int replicasAfter, String enabledAfter, String mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String UNREADABLE = "<403>";

    static Stream<Case> cases() {
        Map<String, String> none = Map.of();
        return Stream.of(
                new Case("no operator ConfigMap, job silent: we scale", none, null, false, false, Outcome.APPLIED, 5, null, "set"),
                new Case("operator default on: held", none, "job.autoscaler.enabled: true", false, false, Outcome.SKIPPED, 3, null,
                        "through the operator's defaults"),
                new Case("operator default on (old key): held", none, "kubernetes.operator.job.autoscaler.enabled: true", false, false,
                        Outcome.SKIPPED, 3, null, "kubernetes.operator.job.autoscaler.enabled"),
                new Case("operator default on, take-over: switched off on the job first", none, "job.autoscaler.enabled: true", true, false,
                        Outcome.SKIPPED, 3, "false", "took over"),
                new Case("operator default on, take-over in dry run: nothing written", none, "job.autoscaler.enabled: true", true, true,
                        Outcome.DRY_RUN, 3, null, "would set job.autoscaler.enabled=false"),
                new Case("operator default on, job says off: we scale", Map.of("job.autoscaler.enabled", "false"), "job.autoscaler.enabled: true",
                        false, false, Outcome.APPLIED, 5, "false", "set"),
                new Case("operator default advisory: we scale and say so", none, "job.autoscaler.enabled: true\njob.autoscaler.scaling.enabled: false",
                        false, false, Outcome.APPLIED, 5, null, "advisory mode"),
                new Case("job advisory: we scale and say so", Map.of("job.autoscaler.enabled", "true", "job.autoscaler.scaling.enabled", "false"),
                        null, false, false, Outcome.APPLIED, 5, "true", "advisory mode"),
                new Case("job's old key on: the actuator holds", Map.of("kubernetes.operator.job.autoscaler.enabled", "true"), null, false, false,
                        Outcome.SKIPPED, 3, null, "operator's own autoscaler is on"),
                new Case("job's old key on, take-over: new key off in the rescale patch",
                        Map.of("kubernetes.operator.job.autoscaler.enabled", "true"), null, true, false, Outcome.APPLIED, 5, "false", "taking over"),
                new Case("operator config unreadable, job silent: held", none, UNREADABLE, true, false, Outcome.SKIPPED, 3, null, "cannot tell"),
                new Case("operator config unreadable, job says off: we scale", Map.of("job.autoscaler.enabled", "false"), UNREADABLE, false, false,
                        Outcome.APPLIED, 5, "false", "set"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void coexists(Case c) throws Exception {
        JobRef job = new JobRef("team-" + NS.incrementAndGet(), "scorer");
        FlinkDeploymentFixtures.Builder b = FlinkDeploymentFixtures.deployment(job.namespace(), job.name()).replicas(3);
        c.jobConf().forEach(b::conf);
        b.create(client);
        String cmName = "flink-operator-config-" + job.namespace();
        Supplier<OperatorDefaults> defaults = new OperatorConfigSource(client, OPERATOR_NS, cmName);
        if (UNREADABLE.equals(c.operatorConfigYaml())) {
            defaults = () -> OperatorDefaults.unreadable("ConfigMap " + OPERATOR_NS + "/" + cmName, "HTTP 403 Forbidden");
        } else if (c.operatorConfigYaml() != null) {
            client.configMaps().inNamespace(OPERATOR_NS).resource(new ConfigMapBuilder().withNewMetadata().withName(cmName)
                    .withNamespace(OPERATOR_NS).endMetadata().withData(Map.of("config.yaml", c.operatorConfigYaml())).build()).create();
        }
        ActuatorSettings s = ActuatorSettings.defaults().withTakeOver(c.takeOver()).withDryRun(c.dryRun());
        OperatorCoexistenceActuator chain = new OperatorCoexistenceActuator(client, defaults, s, () -> true, new FlinkDeploymentActuator(client, s));

        Result r = chain.apply(TestDecisions.scale(job, 3, 5));

        assertEquals(c.outcome(), r.outcome(), r.detail());
        assertTrue(r.detail().contains(c.mentions()), () -> c.mentions() + " not in: " + r.detail());
        FlinkDeploymentView after = FlinkDeploymentView.of(DeploymentAccess.of(client).get(job));
        assertEquals(c.replicasAfter(), after.taskManagerReplicas());
        assertEquals(c.enabledAfter(), after.flinkConfiguration().get(OperatorAutoscaler.ENABLED));
    }
}

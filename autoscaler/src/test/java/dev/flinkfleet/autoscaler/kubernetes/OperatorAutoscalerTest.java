package dev.flinkfleet.autoscaler.kubernetes;

import static dev.flinkfleet.autoscaler.kubernetes.OperatorAutoscaler.Mode.ADVISORY;
import static dev.flinkfleet.autoscaler.kubernetes.OperatorAutoscaler.Mode.OFF;
import static dev.flinkfleet.autoscaler.kubernetes.OperatorAutoscaler.Mode.SCALING;
import static dev.flinkfleet.autoscaler.kubernetes.OperatorAutoscaler.Mode.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Who scales a job, over the combinations of the operator's keys on the job and in its defaults. */
class OperatorAutoscalerTest {

    static final String ON = OperatorAutoscaler.ENABLED;
    static final String ON_OLD = OperatorAutoscaler.ENABLED_OLD;
    static final String SCALE = OperatorAutoscaler.SCALING_ENABLED;
    static final String SCALE_OLD = OperatorAutoscaler.SCALING_ENABLED_OLD;

    static final OperatorDefaults NO_CONFIGMAP = OperatorDefaults.absent("ConfigMap op/flink-operator-config");
    static final OperatorDefaults UNREADABLE = OperatorDefaults.unreadable("ConfigMap op/flink-operator-config", "HTTP 403 Forbidden");

    static OperatorDefaults defaults(String... kv) {
        return OperatorDefaults.found(map(kv), "ConfigMap op/flink-operator-config (config.yaml)");
    }

    static Map<String, String> map(String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    record Case(String name, Map<String, String> job, OperatorDefaults defaults, OperatorAutoscaler.Mode mode, String mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("nothing anywhere", map(), NO_CONFIGMAP, OFF, ON),
                new Case("job: new key on", map(ON, "true"), NO_CONFIGMAP, SCALING, ON + "=true (job)"),
                new Case("job: new key on, any case", map(ON, " TRUE "), NO_CONFIGMAP, SCALING, ON),
                new Case("job: old key on", map(ON_OLD, "true"), NO_CONFIGMAP, SCALING, ON_OLD + "=true (job)"),
                new Case("job: new key off", map(ON, "false"), NO_CONFIGMAP, OFF, ON + "=false"),
                new Case("job: new off wins over old on (Flink reads the current key first)", map(ON, "false", ON_OLD, "true"), NO_CONFIGMAP, OFF, ON + "=false"),
                new Case("job: new on wins over old off", map(ON, "true", ON_OLD, "false"), NO_CONFIGMAP, SCALING, ON + "=true"),
                new Case("job: not a boolean", map(ON, "yes"), NO_CONFIGMAP, UNKNOWN, "not true or false"),
                new Case("job: advisory (new keys)", map(ON, "true", SCALE, "false"), NO_CONFIGMAP, ADVISORY, "advisory"),
                new Case("job: advisory (old keys)", map(ON_OLD, "true", SCALE_OLD, "false"), NO_CONFIGMAP, ADVISORY, SCALE_OLD),
                new Case("job: scaling explicitly on", map(ON, "true", SCALE, "true"), NO_CONFIGMAP, SCALING, SCALE + "=true"),
                new Case("job: scaling off but autoscaler off", map(ON, "false", SCALE, "false"), NO_CONFIGMAP, OFF, ON + "=false"),

                new Case("defaults: on, job silent", map(), defaults(ON, "true"), SCALING, "ConfigMap op/flink-operator-config"),
                new Case("defaults: old key on, job silent", map(), defaults(ON_OLD, "true"), SCALING, ON_OLD),
                new Case("defaults: on, job off", map(ON, "false"), defaults(ON, "true"), OFF, "(job)"),
                new Case("defaults: on, job's OLD key off: the defaults' current key still wins", map(ON_OLD, "false"), defaults(ON, "true"), SCALING, "ConfigMap"),
                new Case("defaults: old on, job's old off: the job wins", map(ON_OLD, "false"), defaults(ON_OLD, "true"), OFF, "(job)"),
                new Case("defaults: advisory for all, job silent", map(), defaults(ON, "true", SCALE, "false"), ADVISORY, "advisory"),
                new Case("defaults: advisory, job turns scaling back on", map(SCALE, "true"), defaults(ON, "true", SCALE, "false"), SCALING, SCALE + "=true (job)"),
                new Case("defaults: scaling off only, job on", map(ON, "true"), defaults(SCALE, "false"), ADVISORY, "ConfigMap"),
                new Case("defaults: off, job on", map(ON, "true"), defaults(ON, "false"), SCALING, "(job)"),
                new Case("defaults: present without the key", map(), defaults("taskmanager.numberOfTaskSlots", "2"), OFF, "nor in ConfigMap"),

                new Case("defaults unreadable, job silent: unknown", map(), UNREADABLE, UNKNOWN, "403"),
                new Case("defaults unreadable, job sets only the old key: unknown", map(ON_OLD, "false"), UNREADABLE, UNKNOWN, ON),
                new Case("defaults unreadable, job says off", map(ON, "false"), UNREADABLE, OFF, "(job)"),
                new Case("defaults unreadable, job advisory", map(ON, "true", SCALE, "false"), UNREADABLE, ADVISORY, "advisory"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void resolvesAsTheOperatorDoes(Case c) {
        OperatorAutoscaler a = OperatorAutoscaler.of(c.job(), c.defaults());
        assertEquals(c.mode(), a.mode(), a.because());
        assertTrue(a.because().contains(c.mentions()), () -> c.mentions() + " not in: " + a.because());
        // What the FlinkDeploymentActuator judges from the job alone never calls a job free that the job itself puts
        // under the operator's autoscaler.
        if (OperatorAutoscaler.ofJob(c.job()).mayScale()) {
            assertTrue(new FlinkDeploymentView(new dev.flinkfleet.policies.JobRef("ns", "j"), null, Map.of(), Map.of(), 1L, "1", 1, 1,
                    c.job(), null, null, null, 1L).operatorAutoscalerEnabled());
        }
    }
}

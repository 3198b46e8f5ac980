package dev.flinkfleet.autoscaler.kubernetes;

import java.time.Duration;
import java.util.List;

import com.typesafe.config.Config;

import dev.flinkfleet.policies.ActuationMode;
import dev.flinkfleet.policies.config.Settings;

/**
 * The {@code flinkfleet.kubernetes} block, read and checked once. Errors name the file, line and key.
 *
 * @param namespaces                namespaces to watch; empty = all
 * @param labelSelector             label selector; empty = all
 * @param stateHistoryWriteInterval throttle for history-only governor state writes
 * @param actuator                  how jobs are resized
 */
public record KubernetesSettings(List<String> namespaces, String labelSelector, Duration stateHistoryWriteInterval, ActuatorSettings actuator,
                                 boolean enabled) {

    static final String ROOT = "flinkfleet.kubernetes";

    public KubernetesSettings {
        namespaces = List.copyOf(namespaces);
    }

    /** Reads {@code flinkfleet.kubernetes} from {@code config}, which must already include reference.conf. */
    public static KubernetesSettings fromConfig(Config config) {
        List<String> namespaces = config.getStringList(key("namespaces")).stream().map(String::strip).toList();
        for (String ns : namespaces) {
            if (!ns.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || ns.length() > 63) {
                throw Settings.bad(config, key("namespaces"), "'" + ns + "' is not a valid namespace name");
            }
        }
        String selector = config.getString(key("label-selector")).strip();
        Duration interval = Settings.duration(config, key("state-history-write-interval"), true);

        String modeKey = key("actuator.mode");
        String modeName = config.getString(modeKey).strip();
        ActuationMode mode;
        try {
            mode = ActuationMode.parse(modeName);
        } catch (IllegalArgumentException e) {
            throw Settings.bad(config, modeKey, "must be one of " + String.join(", ", ActuationMode.configNames()) + "; got '" + modeName + "'");
        }
        if (!mode.patchesFlinkDeployment()) {
            throw Settings.bad(config, modeKey, "'" + modeName + "' is not a FlinkDeployment field; FlinkDeployments are resized with "
                    + "taskmanager-replicas, job-parallelism or vertex-overrides (flink-rest is set per application, for jobs on "
                    + "flinkfleet.flink-rest.clusters)");
        }
        List<String> vertexIds = config.getStringList(key("actuator.vertex-ids")).stream().map(String::strip).toList();
        for (String id : vertexIds) {
            if (id.isEmpty() || id.contains(",") || id.contains(":")) {
                throw Settings.bad(config, key("actuator.vertex-ids"), "'" + id + "' is not a job vertex id");
            }
        }
        ActuatorSettings actuator = new ActuatorSettings(mode, vertexIds,
                config.getBoolean(key("actuator.take-over-operator-autoscaler")), config.getBoolean(key("actuator.dry-run")));
        boolean enabled = config.getBoolean(key("enabled"));
        if (!enabled) {
            // Without the API there is no Lease to elect a leader with and nothing but Flink REST jobs to govern.
            if (config.getBoolean("flinkfleet.daemon.leader-election.enabled")) {
                throw Settings.bad(config, key("enabled"), "false needs flinkfleet.daemon.leader-election.enabled = false (the Lease is a "
                        + "Kubernetes object); run one replica");
            }
            if (config.getObject("flinkfleet.flink-rest.clusters").isEmpty()) {
                throw Settings.bad(config, key("enabled"), "false leaves nothing to govern: list the Flink clusters under flinkfleet.flink-rest.clusters");
            }
        }
        return new KubernetesSettings(namespaces, selector, interval, actuator, enabled);
    }

    private static String key(String k) {
        return ROOT + "." + k;
    }
}

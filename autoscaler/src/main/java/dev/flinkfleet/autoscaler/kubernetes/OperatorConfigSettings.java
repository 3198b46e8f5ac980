package dev.flinkfleet.autoscaler.kubernetes;

import com.typesafe.config.Config;

import dev.flinkfleet.policies.config.Settings;

/**
 * The {@code flinkfleet.kubernetes.operator-config} block: where the Flink operator's own ConfigMap is.
 *
 * @param namespace the operator's namespace
 * @param name      its ConfigMap; empty = not read
 */
public record OperatorConfigSettings(String namespace, String name) {

    static final String ROOT = "flinkfleet.kubernetes.operator-config";

    /** Reads the block from {@code config}, which must already include reference.conf. */
    public static OperatorConfigSettings fromConfig(Config config) {
        String ns = config.getString(ROOT + ".namespace").strip();
        String name = config.getString(ROOT + ".name").strip();
        if (!ns.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || ns.length() > 63) {
            throw Settings.bad(config, ROOT + ".namespace", "'" + ns + "' is not a valid namespace name");
        }
        if (!name.isEmpty() && (!name.matches("[a-z0-9]([-.a-z0-9]*[a-z0-9])?") || name.length() > 253)) {
            throw Settings.bad(config, ROOT + ".name", "'" + name + "' is not a valid ConfigMap name");
        }
        return new OperatorConfigSettings(ns, name);
    }

    public boolean enabled() {
        return !name.isEmpty();
    }
}

package dev.flinkfleet.policies;

import com.typesafe.config.Config;

/**
 * Service-provider interface: lists policies by name through {@link java.util.ServiceLoader}, so a user can
 * ship their own policy in a jar with a {@code META-INF/services/dev.flinkfleet.policies.ScalingPolicyFactory}
 * entry.
 */
public interface ScalingPolicyFactory {

    /** The registry name used in policy files. */
    String name();

    /** One sentence for {@code policy list} and docs. */
    String description();

    /**
     * Builds the policy from its parameters. {@code params} already has the defaults from
     * {@code flinkfleet.policies.<name>} in {@code reference.conf} merged under the user's values; unknown keys
     * have been rejected. Throws {@link com.typesafe.config.ConfigException} (with the value's origin) for a
     * wrong type or an out-of-range value.
     */
    ScalingPolicy create(Config params);
}

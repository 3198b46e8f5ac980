package dev.flinkfleet.simulator;

import java.util.Map;

/** Turns the user's {@code --policy} (a policy file or a built-in policy name) into a strategy to replay. */
public interface PolicyLoader {

    /**
     * The policy file at {@code spec}, or when no such file exists, the built-in policy named {@code spec} with its
     * defaults; {@code overrides} (e.g. {@code params.time-to-drain -> 30s}, {@code governor.tolerance -> 0.2})
     * go over the file's application block. {@code label} names the result (null = the application's name).
     */
    Strategy load(String spec, Map<String, String> overrides, String label);

    /** A built-in policy with all defaults, as the baselines use it. */
    Strategy defaults(String policyName);
}

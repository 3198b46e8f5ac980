package dev.flinkfleet.policies;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds {@link ScalingPolicyFactory} implementations by name through {@link ServiceLoader}. */
public final class PolicyRegistry {

    private final Map<String, ScalingPolicyFactory> factories;

    private PolicyRegistry(Map<String, ScalingPolicyFactory> factories) {
        this.factories = Collections.unmodifiableMap(factories);
    }

    /** The policies visible to {@code loader} (built-ins plus any plugin jars). Duplicate names are an error. */
    public static PolicyRegistry load(ClassLoader loader) {
        Map<String, ScalingPolicyFactory> m = new TreeMap<>();
        for (ScalingPolicyFactory f : ServiceLoader.load(ScalingPolicyFactory.class, loader)) {
            ScalingPolicyFactory prev = m.putIfAbsent(f.name(), f);
            if (prev != null) {
                throw new IllegalStateException("two policies named '" + f.name() + "': " + prev.getClass().getName() + " and " + f.getClass().getName());
            }
        }
        return new PolicyRegistry(m);
    }

    public static PolicyRegistry builtIn() {
        return load(PolicyRegistry.class.getClassLoader());
    }

    /** The factory for {@code name}; throws naming the known policies when there is none. */
    public ScalingPolicyFactory get(String name) {
        ScalingPolicyFactory f = factories.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown policy '" + name + "'; known: " + factories.keySet());
        }
        return f;
    }

    public boolean contains(String name) {
        return factories.containsKey(name);
    }

    /** Sorted by name. */
    public Map<String, ScalingPolicyFactory> all() {
        return factories;
    }
}

package dev.flinkfleet.simulator.operator;

import java.lang.reflect.Field;
import java.time.Clock;

/**
 * Puts the simulated clock into the library's parts that read time. The library has test-only setters for this,
 * but not all are reachable ({@code JobAutoScalerImpl}'s is package-private, and the {@code JobVertexScaler} that
 * times delayed scale-downs is created inside {@code ScalingExecutor}), so its fields are set directly. Fails when
 * a field is missing: running on the wall clock would make the baseline meaningless.
 */
final class LibraryClocks {

    private LibraryClocks() {
    }

    /** Sets the {@code clock} field of {@code target} (declared by it or a superclass). */
    static void set(Object target, Clock clock) {
        write(target, "clock", clock);
    }

    /** The value of the field {@code name} of {@code target} (declared by it or a superclass). */
    static Object read(Object target, String name) {
        try {
            return field(target, name).get(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + name + " of " + target.getClass().getName(), e);
        }
    }

    private static void write(Object target, String name, Object value) {
        try {
            field(target, name).set(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set " + name + " of " + target.getClass().getName(), e);
        }
    }

    private static Field field(Object target, String name) {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // declared higher up
            }
        }
        throw new IllegalStateException(target.getClass().getName() + " has no field '" + name
                + "': not the flink-autoscaler version this baseline was written for (1.10.0)");
    }
}

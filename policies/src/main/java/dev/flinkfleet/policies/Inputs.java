package dev.flinkfleet.policies;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The named values a policy computed with, in the order it put them: a read-only {@code Map} backed by two small
 * arrays, so recording them costs no boxing and no hash entries on the decide path. Filled once by its policy
 * with {@link #put(String, double)}; a {@link Recommendation} freezes it, after which it cannot change.
 */
public final class Inputs extends AbstractMap<String, Double> {

    private String[] keys;
    private double[] values;
    private int size;
    private boolean frozen;

    public Inputs() {
        this(8);
    }

    public Inputs(int expected) {
        keys = new String[Math.max(1, expected)];
        values = new double[keys.length];
    }

    /** Copies any map (tests, custom policies) in its iteration order. */
    public static Inputs copyOf(Map<String, Double> map) {
        if (map instanceof Inputs i && i.frozen) {
            return i;
        }
        java.util.Objects.requireNonNull(map, "inputs");
        Inputs in = new Inputs(map.size());
        map.forEach((k, v) -> in.put(k, v.doubleValue()));
        return in;
    }

    /**
     * Sets {@code key} to {@code value}; the same key put twice keeps its first position, as in a LinkedHashMap.
     * Keys are compared by identity here (the policies' keys are string constants), which keeps the decide path
     * free of string comparisons; {@link #copyOf} is for keys from anywhere else.
     */
    public Inputs put(String key, double value) {
        if (frozen) {
            throw new UnsupportedOperationException("inputs are read-only once in a recommendation");
        }
        java.util.Objects.requireNonNull(key, "key");
        int i = -1;
        for (int k = 0; k < size; k++) {
            if (keys[k] == key) {
                i = k;
                break;
            }
        }
        if (i >= 0) {
            values[i] = value;
            return this;
        }
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        keys[size] = key;
        values[size++] = value;
        return this;
    }

    @Override
    public Double put(String key, Double value) {
        throw new UnsupportedOperationException("use put(String, double)");
    }

    /** The value of {@code key}, or NaN when absent. */
    public double value(String key) {
        int i = indexOf(key);
        return i < 0 ? Double.NaN : values[i];
    }

    Inputs freeze() {
        frozen = true;
        return this;
    }

    private int indexOf(Object key) {
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Double get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public Set<Entry<String, Double>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Entry<String, Double>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<String, Double> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(keys[i], values[i]);
                    }
                };
            }
        };
    }
}

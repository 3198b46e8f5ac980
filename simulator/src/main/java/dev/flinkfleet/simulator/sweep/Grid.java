package dev.flinkfleet.simulator.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.flinkfleet.simulator.BadInputException;

/**
 * A parameter grid from {@code --grid 'key=v1,v2,...'} options. Keys address a policy file's application block:
 * {@code params.<key>} or {@code governor.<key>}; values are HOCON values (e.g. {@code 30s}, {@code 0.2}).
 */
public final class Grid {

    /** One axis of the grid. */
    public record Axis(String key, List<String> values) {
    }

    private final List<Axis> axes;

    private Grid(List<Axis> axes) {
        this.axes = axes;
    }

    public static Grid parse(List<String> specs) {
        if (specs == null || specs.isEmpty()) {
            throw new BadInputException("--grid: give at least one 'key=v1,v2,...'");
        }
        List<Axis> axes = new ArrayList<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("--grid '" + spec + "': expected key=v1,v2,...");
            }
            String key = spec.substring(0, eq).strip();
            if (!(key.startsWith("params.") || key.startsWith("governor.")) || key.endsWith(".")) {
                throw new BadInputException("--grid '" + spec + "': key must be params.<key> or governor.<key>, got '" + key + "'");
            }
            List<String> values = new ArrayList<>();
            for (String v : spec.substring(eq + 1).split(",", -1)) {
                if (v.isBlank()) {
                    throw new BadInputException("--grid '" + spec + "': empty value");
                }
                values.add(v.strip());
            }
            for (Axis a : axes) {
                if (a.key().equals(key)) {
                    throw new BadInputException("--grid: key '" + key + "' given twice");
                }
            }
            axes.add(new Axis(key, List.copyOf(values)));
        }
        return new Grid(List.copyOf(axes));
    }

    public List<Axis> axes() {
        return axes;
    }

    /** Every combination, first axis slowest, each as key → value in axis order. */
    public List<Map<String, String>> combinations() {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Axis a : axes) {
            List<Map<String, String>> next = new ArrayList<>(out.size() * a.values().size());
            for (Map<String, String> m : out) {
                for (String v : a.values()) {
                    Map<String, String> c = new LinkedHashMap<>(m);
                    c.put(a.key(), v);
                    next.add(c);
                }
            }
            out = next;
        }
        return out;
    }

    /** A short label for one combination, e.g. {@code params.time-to-drain=30s governor.tolerance=0.2}. */
    public static String label(Map<String, String> combo) {
        StringBuilder sb = new StringBuilder();
        combo.forEach((k, v) -> sb.append(sb.length() > 0 ? " " : "").append(k).append('=').append(v));
        return sb.toString();
    }
}

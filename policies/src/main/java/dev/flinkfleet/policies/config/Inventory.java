package dev.flinkfleet.policies.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.flinkfleet.policies.JobRef;

/**
 * A list of jobs with their labels, one per line: {@code namespace/name [key=value ...]}. {@code #} starts a
 * comment. Used by {@code policy check --jobs} to show which application governs which job without a cluster.
 */
public final class Inventory {

    private Inventory() {
    }

    /** One job of the inventory, with the line it is on. */
    public record Entry(JobRef job, Map<String, String> labels, int line) {
        public Entry {
            labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        }
    }

    /** Reads {@code file}; throws {@link PolicyFileException} listing every bad line. */
    public static List<Entry> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new PolicyFileException(List.of(file + ":1: file: cannot read: " + e));
        }
        return parse(file, lines);
    }

    /** Parses {@code lines} as the content of {@code file} (used for messages only). */
    public static List<Entry> parse(Path file, List<String> lines) {
        List<String> errors = new ArrayList<>();
        List<Entry> out = new ArrayList<>();
        Map<JobRef, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i);
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 1 && parts[0].isEmpty()) {
                continue;
            }
            JobRef job;
            try {
                job = JobRef.parse(parts[0]);
            } catch (IllegalArgumentException e) {
                errors.add(file + ":" + lineNo + ": job: " + e.getMessage());
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            boolean ok = true;
            for (int p = 1; p < parts.length; p++) {
                int eq = parts[p].indexOf('=');
                if (eq <= 0) {
                    errors.add(file + ":" + lineNo + ": label: expected key=value, got '" + parts[p] + "'");
                    ok = false;
                } else if (labels.putIfAbsent(parts[p].substring(0, eq), parts[p].substring(eq + 1)) != null) {
                    errors.add(file + ":" + lineNo + ": label: '" + parts[p].substring(0, eq) + "' given twice");
                    ok = false;
                }
            }
            Integer prev = seen.putIfAbsent(job, lineNo);
            if (prev != null) {
                errors.add(file + ":" + lineNo + ": job: " + job + " is already listed on line " + prev);
                ok = false;
            }
            if (ok) {
                out.add(new Entry(job, labels, lineNo));
            }
        }
        if (!errors.isEmpty()) {
            throw new PolicyFileException(errors);
        }
        return List.copyOf(out);
    }
}

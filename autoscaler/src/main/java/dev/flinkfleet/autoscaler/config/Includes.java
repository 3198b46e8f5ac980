package dev.flinkfleet.autoscaler.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds {@code include} statements whose target does not exist. HOCON ignores a missing include unless it is
 * written {@code include required(...)}, so {@code include "secrets.conf"} with a typo in the name would silently
 * drop every setting in it; the daemon treats that as an error instead.
 */
final class Includes {

    /** include "x", include file("x"), include classpath("x"), each optionally inside required(...). */
    private static final Pattern INCLUDE = Pattern.compile(
            "^\\s*(?:[\\w.\"-]+\\s*\\{\\s*)?include\\s+(?:required\\s*\\(\\s*)?(?:(file|classpath|url)\\s*\\(\\s*)?\"([^\"]*)\"");

    private Includes() {
    }

    /** A missing include: the file and line of the statement and what it names. */
    record Missing(Path file, int line, String target) {
    }

    /** Every include in {@code file}, and in the files it includes, whose target is missing. Does not fetch URLs. */
    static List<Missing> missing(Path file, ClassLoader loader) {
        List<Missing> out = new ArrayList<>();
        scan(file, loader, out, new HashSet<>());
        return out;
    }

    private static void scan(Path file, ClassLoader loader, List<Missing> out, Set<Path> seen) {
        if (!seen.add(file.toAbsolutePath().normalize())) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return; // the parser reports unreadable files
        }
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = INCLUDE.matcher(lines.get(i));
            if (!m.find()) {
                continue;
            }
            String kind = m.group(1) == null ? "" : m.group(1);
            String target = m.group(2);
            if (kind.equals("url")) {
                continue; // checking would mean connecting
            }
            if (kind.equals("classpath")) {
                if (!onClassPath(target, loader)) {
                    out.add(new Missing(file, i + 1, target));
                }
                continue;
            }
            Path base = file.toAbsolutePath().getParent();
            Path p = Path.of(target).isAbsolute() || base == null ? Path.of(target) : base.resolve(target);
            Path found = existing(p);
            if (found != null) {
                scan(found, loader, out, seen);
            } else if (!(kind.isEmpty() && onClassPath(target, loader))) {
                // A plain include falls back to the class path, as HOCON does.
                out.add(new Missing(file, i + 1, target));
            }
        }
    }

    /** The file, or for a name without extension the first of name.conf, name.json, name.properties (as HOCON). */
    private static Path existing(Path p) {
        if (Files.isRegularFile(p)) {
            return p;
        }
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        if (!name.contains(".")) {
            for (String ext : List.of(".conf", ".json", ".properties")) {
                Path q = p.resolveSibling(name + ext);
                if (Files.isRegularFile(q)) {
                    return q;
                }
            }
        }
        return null;
    }

    private static boolean onClassPath(String name, ClassLoader loader) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        if (loader.getResource(n) != null) {
            return true;
        }
        if (!n.contains(".")) {
            for (String ext : List.of(".conf", ".json", ".properties")) {
                if (loader.getResource(n + ext) != null) {
                    return true;
                }
            }
        }
        return false;
    }
}

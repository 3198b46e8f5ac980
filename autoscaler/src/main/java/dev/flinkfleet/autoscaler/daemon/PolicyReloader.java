package dev.flinkfleet.autoscaler.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.config.Applications;
import dev.flinkfleet.policies.config.PolicyFileException;
import dev.flinkfleet.policies.config.PolicyFiles;

/**
 * The policy files of the daemon, reloaded when they change: {@link #current()} is the binder of the last set
 * that validated. A set that does not validate is logged once with every problem and the previous one is kept.
 * Called from the cycle's thread.
 */
final class PolicyReloader {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyReloader.class);

    private final Path dir;
    private final boolean reload;
    private final Function<Applications, JobBinder> binderFor;
    private volatile JobBinder current;
    private String fingerprint;
    private String rejected;

    /**
     * Loads the files now.
     *
     * @throws PolicyFileException listing every problem of the policy files
     */
    PolicyReloader(Path dir, boolean reload, Function<Applications, JobBinder> binderFor) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.reload = reload;
        this.binderFor = Objects.requireNonNull(binderFor, "binderFor");
        this.fingerprint = fingerprint(dir);
        this.current = binderFor.apply(load());
    }

    JobBinder current() {
        return current;
    }

    /** Reloads the files if reloading is on and they changed since the last look. */
    void reloadIfChanged() {
        if (!reload) {
            return;
        }
        String now = fingerprint(dir);
        if (now.equals(fingerprint) || now.equals(rejected)) {
            return;
        }
        try {
            Applications apps = load();
            current = binderFor.apply(apps);
            fingerprint = now;
            rejected = null;
            LOG.info("policy files in {} changed; reloaded {} applications", dir, apps.all().size());
        } catch (PolicyFileException e) {
            rejected = now;
            LOG.error("policy files in {} changed but do not validate; keeping the previous ones:\n  {}", dir, String.join("\n  ", e.errors()));
        }
    }

    private Applications load() {
        return new Applications(PolicyFiles.loadDir(dir, PolicyRegistry.builtIn()));
    }

    /** Names, sizes and modification times of the policy files: cheap enough to compute every cycle. */
    static String fingerprint(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            StringBuilder sb = new StringBuilder();
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".conf")).sorted().toList()) {
                sb.append(p.getFileName()).append(':').append(Files.size(p)).append(':').append(Files.getLastModifiedTime(p).toMillis()).append(';');
            }
            return sb.toString();
        } catch (IOException | UncheckedIOException e) {
            return "unreadable:" + e;
        }
    }
}

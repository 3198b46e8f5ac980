package dev.flinkfleet.autoscaler.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The version and commit the daemon was built from, as {@code flinkfleet_build_info{version, revision}} (the
 * Prometheus convention: an info metric of value 1). Maven fills {@code flinkfleet-build.properties} in; a
 * build without a commit ({@code -Dflinkfleet.revision} not given) says {@code unknown}.
 */
public record BuildInfo(String version, String revision) {

    private static final String RESOURCE = "/flinkfleet-build.properties";

    /** The build properties on the class path; {@code unknown} for any value Maven did not fill in. */
    public static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return new BuildInfo(filled(p.getProperty("version")), filled(p.getProperty("revision")));
    }

    private static String filled(String v) {
        // An unfiltered copy (an IDE build) still holds the placeholder.
        return v == null || v.isBlank() || v.contains("${") ? "unknown" : v.strip();
    }

    /** Registers {@code flinkfleet_build_info}. */
    public void register(PrometheusRegistry registry) {
        Info.builder().name("flinkfleet_build_info").help("Version and git commit of the running autoscaler; always 1")
                .labelNames("version", "revision").register(registry).setLabelValues(version, revision);
    }
}

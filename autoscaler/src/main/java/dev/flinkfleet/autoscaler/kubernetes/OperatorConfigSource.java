package dev.flinkfleet.autoscaler.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Reads the Flink operator's own configuration from its ConfigMap through the API on every call (it is asked only
 * when a rescale is about to be sent, so it is never older than that), and says in the log once per change of
 * outcome whether it was found, is absent ("no operator defaults") or could not be read.
 *
 * <p>The ConfigMap holds Flink configuration files as the operator's Helm chart writes them: {@code config.yaml}
 * (Flink's YAML format, possibly nested) and the older flat {@code flink-conf.yaml}. Like Flink, the first is used
 * when present, the second otherwise.
 */
public final class OperatorConfigSource implements Supplier<OperatorDefaults> {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorConfigSource.class);
    static final String NEW_FILE = "config.yaml";
    static final String OLD_FILE = "flink-conf.yaml";
    /** fabric8's YAML reader (it reads our manifests too). */
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final AtomicReference<String> lastLogged = new AtomicReference<>("");

    public OperatorConfigSource(KubernetesClient client, String namespace, String name) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The source the settings name; with no ConfigMap name, "no operator defaults", said once now. */
    public static Supplier<OperatorDefaults> from(KubernetesClient client, OperatorConfigSettings settings) {
        if (!settings.enabled()) {
            LOG.info("{}.name is empty: the operator's config is not read, no operator defaults", OperatorConfigSettings.ROOT);
            return () -> OperatorDefaults.NONE;
        }
        return new OperatorConfigSource(client, settings.namespace(), settings.name());
    }

    @Override
    public OperatorDefaults get() {
        String where = "ConfigMap " + namespace + "/" + name;
        OperatorDefaults d;
        try {
            ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
            d = cm == null ? OperatorDefaults.absent(where) : parse(where, cm.getData() == null ? Map.of() : cm.getData());
        } catch (KubernetesClientException e) {
            String why = e.getCode() == 0 ? String.valueOf(e.getMessage())
                    : "HTTP " + e.getCode() + (e.getStatus() != null && e.getStatus().getReason() != null ? " " + e.getStatus().getReason() : "")
                            + (e.getCode() == 403 ? " (the daemon needs get on this ConfigMap)" : "");
            d = OperatorDefaults.unreadable(where, "cannot read " + where + ": " + why);
        }
        logOnChange(d);
        return d;
    }

    /** The defaults in a ConfigMap's data; a file that does not parse makes them unreadable (never silently empty). */
    public static OperatorDefaults parse(String where, Map<String, String> data) {
        String yaml = data.get(NEW_FILE);
        try {
            if (yaml != null && !yaml.isBlank()) {
                Map<String, String> conf = new LinkedHashMap<>();
                Object root = YAML.unmarshal(yaml, Object.class);
                if (root instanceof Map<?, ?> m) {
                    conf = FlinkConfigurationMaps.flatten(m);
                } else if (root != null) {
                    return OperatorDefaults.unreadable(where + " (" + NEW_FILE + ")", NEW_FILE + " in " + where + " is not a YAML mapping");
                }
                return OperatorDefaults.found(conf, where + " (" + NEW_FILE + ")");
            }
        } catch (RuntimeException e) {
            // Jackson's message quotes the offending text; a config file holds no credentials of ours, but keep it short.
            String msg = String.valueOf(e.getMessage());
            return OperatorDefaults.unreadable(where + " (" + NEW_FILE + ")", NEW_FILE + " in " + where + " is not valid YAML: "
                    + (msg.length() > 200 ? msg.substring(0, 200) + "..." : msg));
        }
        String flat = data.get(OLD_FILE);
        return OperatorDefaults.found(flat == null ? Map.of() : flatFile(flat), where + (flat == null ? "" : " (" + OLD_FILE + ")"));
    }

    /** Flink's legacy flat format, read as Flink reads it: one {@code key: value} per line, '#' starts a comment. */
    static Map<String, String> flatFile(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            int hash = line.indexOf('#');
            String l = (hash >= 0 ? line.substring(0, hash) : line).strip();
            int colon = l.indexOf(": ");
            if (colon > 0) {
                String value = l.substring(colon + 2).strip();
                out.put(l.substring(0, colon).strip(), unquote(value));
            }
        }
        return out;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private void logOnChange(OperatorDefaults d) {
        String line = d.found()
                ? "operator defaults read from " + d.source() + " (" + d.conf().size() + " keys; operator autoscaler "
                        + OperatorAutoscaler.of(Map.of(), d).mode() + " for jobs that do not set " + OperatorAutoscaler.ENABLED + ")"
                : d.readable()
                        ? d.source() + " not found: no operator defaults (only each job's own flinkConfiguration says whether the "
                                + "operator's autoscaler is on)"
                        : d.problem() + "; jobs that do not set " + OperatorAutoscaler.ENABLED + " themselves are held";
        if (!line.equals(lastLogged.getAndSet(line))) {
            if (d.readable()) {
                LOG.info("{}", line);
            } else {
                LOG.warn("{}", line);
            }
        }
    }
}

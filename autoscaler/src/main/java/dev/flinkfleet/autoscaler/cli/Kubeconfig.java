package dev.flinkfleet.autoscaler.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Whether fabric8's {@code Config.autoConfigure} has anything to configure from, checked before a client is
 * built: without it the client falls back to https://kubernetes.default.svc and the first request fails with a
 * long stack trace. Looks where fabric8 looks: the {@code kubernetes.master} property or $KUBERNETES_MASTER, the
 * {@code kubeconfig} property or $KUBECONFIG (a path list), ~/.kube/config, and the in-cluster service account.
 */
final class Kubeconfig {

    /** The service account token fabric8 reads in a pod. */
    static final Path IN_CLUSTER_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    private Kubeconfig() {
    }

    /**
     * Null when a cluster is configured; otherwise one line saying where it looked.
     *
     * @param env            the environment ($HOME, $KUBECONFIG, $KUBERNETES_MASTER, $KUBERNETES_SERVICE_HOST)
     * @param properties     system properties (kubernetes.master, kubeconfig, user.home)
     * @param inClusterToken the service account token file
     */
    static String missing(Map<String, String> env, Properties properties, Path inClusterToken) {
        if (!blank(properties.getProperty("kubernetes.master", env.get("KUBERNETES_MASTER")))) {
            return null;
        }
        List<String> looked = new ArrayList<>();
        String list = properties.getProperty("kubeconfig", env.get("KUBECONFIG"));
        if (!blank(list)) {
            for (String f : list.split(File.pathSeparator)) {
                if (!f.isBlank() && Files.isRegularFile(Path.of(f.strip()))) {
                    return null;
                }
            }
            looked.add("$KUBECONFIG=" + list);
        } else {
            String home = !blank(env.get("HOME")) ? env.get("HOME") : properties.getProperty("user.home", "");
            Path kubeconfig = Path.of(home, ".kube", "config");
            if (!home.isBlank() && Files.isRegularFile(kubeconfig)) {
                return null;
            }
            looked.add("$KUBECONFIG (unset)");
            looked.add(kubeconfig.toString());
        }
        if (!blank(env.get("KUBERNETES_SERVICE_HOST")) && Files.isRegularFile(inClusterToken)) {
            return null;
        }
        looked.add("in-cluster service account (" + (blank(env.get("KUBERNETES_SERVICE_HOST")) ? "$KUBERNETES_SERVICE_HOST unset"
                : inClusterToken + " missing") + ")");
        return "no kubeconfig found (looked in " + String.join(", ", looked) + "); set KUBECONFIG or run in a cluster";
    }

    /**
     * The client configuration for {@code run}: fabric8's own auto-configuration, or the given kubeconfig file,
     * with the given context instead of the file's current one.
     *
     * @param kubeconfig a kubeconfig file, or null for where fabric8 looks ({@link #missing})
     * @param context    a context in it, or null for its current context
     * @throws IllegalArgumentException naming the file or context when the file is missing or has no such context
     */
    static io.fabric8.kubernetes.client.Config clientConfig(Path kubeconfig, String context) {
        if (kubeconfig != null && !Files.isRegularFile(kubeconfig)) {
            throw new IllegalArgumentException("--kubeconfig " + kubeconfig + ": no such file");
        }
        io.fabric8.kubernetes.client.Config config = kubeconfig == null
                ? io.fabric8.kubernetes.client.Config.autoConfigure(context)
                : io.fabric8.kubernetes.client.Config.fromKubeconfig(context, kubeconfig.toFile());
        if (context != null) {
            // fabric8 keeps the current context when the named one does not exist; connecting elsewhere than asked is worse than stopping.
            List<String> names = config.getContexts() == null ? List.of()
                    : config.getContexts().stream().map(io.fabric8.kubernetes.api.model.NamedContext::getName).toList();
            if (!names.contains(context) || config.getCurrentContext() == null || !context.equals(config.getCurrentContext().getName())) {
                throw new IllegalArgumentException("--context " + context + ": no such context in " + (kubeconfig == null ? "the kubeconfig" : kubeconfig)
                        + (names.isEmpty() ? "" : " (it has " + String.join(", ", names) + ")"));
            }
        }
        return config;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

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

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

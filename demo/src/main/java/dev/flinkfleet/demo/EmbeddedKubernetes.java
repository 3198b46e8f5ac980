package dev.flinkfleet.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * fabric8's mock Kubernetes API server in CRUD mode, on a random localhost port, with the Flink operator's real
 * FlinkDeployment CRD installed. Faithful enough for the daemon: merge patches bump generation and
 * resourceVersion, the status subresource is separate, informers get events.
 */
public final class EmbeddedKubernetes implements AutoCloseable {

    /**
     * The operator's CRD (apiextensions.k8s.io/v1). The jar's "-v1beta1.yml" is the same CRD in the old
     * apiextensions format, which API servers since 1.22 reject.
     */
    static final String CRD_RESOURCE = "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml";

    /** Held so the level sticks: the mock server logs every request at INFO through java.util.logging. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;
    private final NamespacedKubernetesClient client;

    private EmbeddedKubernetes(KubernetesMockServer server) {
        this.server = server;
        this.client = server.createClient();
    }

    /** Starts the server and installs the CRD. */
    public static EmbeddedKubernetes start() {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init();
        EmbeddedKubernetes k = new EmbeddedKubernetes(server);
        k.client.apiextensions().v1().customResourceDefinitions().resource(loadCrd(k.client)).create();
        return k;
    }

    /** A client of the server (owned here; do not close). */
    public NamespacedKubernetesClient client() {
        return client;
    }

    /**
     * The real CRD with its 0.5 MB openAPIV3Schema replaced by "preserve unknown fields": the mock server does
     * not validate against it, and parsing it costs seconds on a loaded machine.
     */
    static CustomResourceDefinition loadCrd(NamespacedKubernetesClient client) {
        try (InputStream in = EmbeddedKubernetes.class.getClassLoader().getResourceAsStream(CRD_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CRD_RESOURCE + " not on the classpath (flink-kubernetes-operator-api)");
            }
            String yaml = withoutSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return client.getKubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces each {@code openAPIV3Schema:} block (by indentation) with {@code x-kubernetes-preserve-unknown-fields}. */
    static String withoutSchema(String yaml) {
        StringBuilder out = new StringBuilder(8192);
        int skipDeeperThan = -1;
        for (String line : yaml.split("\n", -1)) {
            int indent = 0;
            while (indent < line.length() && line.charAt(indent) == ' ') {
                indent++;
            }
            if (skipDeeperThan >= 0) {
                if (line.isBlank() || indent > skipDeeperThan) {
                    continue;
                }
                skipDeeperThan = -1;
            }
            out.append(line).append('\n');
            if (line.trim().equals("openAPIV3Schema:")) {
                skipDeeperThan = indent;
                String pad = " ".repeat(indent + 2);
                out.append(pad).append("type: object\n").append(pad).append("x-kubernetes-preserve-unknown-fields: true\n");
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}

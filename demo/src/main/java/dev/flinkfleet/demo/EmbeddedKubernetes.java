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
        dev.flinkfleet.testkit.FlinkDeploymentCrd.install(k.client);
        return k;
    }

    /** A client of the server (owned here; do not close). */
    public NamespacedKubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}

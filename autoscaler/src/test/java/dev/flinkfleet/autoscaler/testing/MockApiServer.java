package dev.flinkfleet.autoscaler.testing;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * fabric8's mock API server in CRUD mode on loopback with the operator's FlinkDeployment CRD installed, and a
 * client for it: what {@code @EnableKubernetesMockClient(crud = true)} gives, for the tests that run whole
 * daemons against it. The difference is at teardown: the mock server waits a fixed 10 s for Vert.x to close its
 * connections, which a loaded 2-core machine sometimes misses after a test that ran informers, leases and dozens
 * of patches ("Unable to close MockWebServer"). That is the stand-in's own shutdown, after every assertion has
 * run, so it is reported and not counted as the test's failure.
 */
public final class MockApiServer implements AutoCloseable {

    private final KubernetesMockServer server;
    private final KubernetesClient client;

    private MockApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        FlinkDeploymentFixtures.installCrd(client);
    }

    /** A new server with the CRD installed. */
    public static MockApiServer start() {
        return new MockApiServer();
    }

    public KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            System.err.println("MockApiServer: " + e.getMessage() + " at teardown (the mock server's own shutdown timed out; ignored)");
        }
    }
}

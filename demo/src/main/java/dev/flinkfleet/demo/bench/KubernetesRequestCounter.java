package dev.flinkfleet.demo.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * Counts the requests the mock API server has served since the last look, from the server's own record of them
 * (every request is queued there), by method and resource: writes (POST, PUT, PATCH, DELETE), reads (GET) and
 * watches (GET with {@code watch=true}).
 */
final class KubernetesRequestCounter {

    private final KubernetesMockServer server;

    KubernetesRequestCounter(KubernetesMockServer server) {
        this.server = server;
    }

    /** "writes=… reads=… watches=… write-kinds=METHOD:resource:n,…" since the last call (drains the server's record). */
    String takeCounts() throws InterruptedException {
        long writes = 0;
        long reads = 0;
        long watches = 0;
        Map<String, Integer> kinds = new TreeMap<>();
        for (RecordedRequest r; (r = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null; ) {
            String path = r.getPath() == null ? "" : r.getPath();
            if ("GET".equals(r.getMethod())) {
                if (path.contains("watch=true")) {
                    watches++;
                } else {
                    reads++;
                }
                continue;
            }
            writes++;
            String resource = path.contains("/events") ? "events" : path.contains("/flinkdeployments") ? "flinkdeployments" : "other";
            kinds.merge(r.getMethod() + ":" + resource, 1, Integer::sum);
        }
        StringBuilder k = new StringBuilder();
        kinds.forEach((kind, n) -> k.append(k.length() == 0 ? "" : ",").append(kind).append(':').append(n));
        return "writes=" + writes + " reads=" + reads + " watches=" + watches + " write-kinds=" + (k.length() == 0 ? "none" : k);
    }
}

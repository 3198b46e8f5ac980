package dev.flinkfleet.demo.bench;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * fabric8's CRUD dispatcher, counting the requests it serves by method so the bench can print Kubernetes calls
 * per cycle. Watch requests are GETs with {@code watch=true}; they are long-lived and counted apart.
 */
final class CountingCrudDispatcher extends KubernetesCrudDispatcher {

    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong watches = new AtomicLong();

    CountingCrudDispatcher() {
        super(List.of());
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String method = request.getMethod();
        if ("GET".equals(method)) {
            (request.getPath() != null && request.getPath().contains("watch=true") ? watches : reads).incrementAndGet();
        } else {
            writes.incrementAndGet(); // POST, PUT, PATCH, DELETE
        }
        return super.dispatch(request);
    }

    /** "writes=… reads=… watches=…" since the last call, then zeroes. */
    String takeCounts() {
        return "writes=" + writes.getAndSet(0) + " reads=" + reads.getAndSet(0) + " watches=" + watches.getAndSet(0);
    }
}

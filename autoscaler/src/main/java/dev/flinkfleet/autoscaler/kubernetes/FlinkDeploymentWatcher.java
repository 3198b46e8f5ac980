package dev.flinkfleet.autoscaler.kubernetes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.flinkfleet.policies.JobRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;

/**
 * Keeps an in-memory index JobRef → compact {@link FlinkDeploymentView} of the FlinkDeployments in the configured
 * namespaces (or all) matching a label selector, fed by a fabric8 informer: one list at start, then a watch.
 * The loop reads {@link #views()} every cycle; nothing lists the API server per cycle, which at 30,000 objects
 * would cost the API server far more than the watch does.
 */
public final class FlinkDeploymentWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FlinkDeploymentWatcher.class);

    private final KubernetesClient client;
    private final List<String> namespaces;
    private final String labelSelector;
    private final ConcurrentHashMap<JobRef, FlinkDeploymentView> index = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<JobRef, String> invalid = new ConcurrentHashMap<>();
    private final List<Consumer<JobRef>> deleteListeners = new CopyOnWriteArrayList<>();
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();

    /**
     * @param namespaces    namespaces to watch; empty = all namespaces
     * @param labelSelector a Kubernetes label selector (e.g. {@code autoscale=true}); null or blank = all objects
     */
    public FlinkDeploymentWatcher(KubernetesClient client, List<String> namespaces, String labelSelector) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespaces = List.copyOf(namespaces);
        this.labelSelector = labelSelector == null || labelSelector.isBlank() ? null : labelSelector.trim();
    }

    /** Called (on the informer thread) when a FlinkDeployment disappears, e.g. to drop cached state. */
    public FlinkDeploymentWatcher onDeleted(Consumer<JobRef> listener) {
        deleteListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Starts one informer per namespace (or one for all); returns when they have synced. Does not block. */
    public synchronized CompletableFuture<Void> start() {
        if (!informers.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        List<CompletableFuture<Void>> started = new ArrayList<>();
        if (namespaces.isEmpty()) {
            started.add(startOne(client.genericKubernetesResources(FlinkDeployments.CONTEXT).inAnyNamespace()));
        } else {
            for (String ns : namespaces) {
                started.add(startOne(client.genericKubernetesResources(FlinkDeployments.CONTEXT).inNamespace(ns)));
            }
        }
        return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> startOne(FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> op) {
        if (labelSelector != null) {
            op = op.withLabelSelector(labelSelector);
        }
        // No periodic resync: the index is rebuilt from every event, and a resync would only replay the cache.
        SharedIndexInformer<GenericKubernetesResource> informer = op.runnableInformer(0);
        // The informer's own cache keeps only what it needs to list and watch (key and resourceVersion), not whole
        // objects: the daemon reads the compact views of the index, which the handler builds from each event.
        informer.itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, GenericKubernetesResource.class,
                client.getKubernetesSerialization(), "metadata.resourceVersion"));
        informer.addEventHandler(new Handler());
        informers.add(informer);
        return informer.start().toCompletableFuture();
    }

    /** True once every informer has completed its initial list. */
    public boolean hasSynced() {
        synchronized (this) {
            return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
        }
    }

    /** Waits up to {@code timeout} for the initial sync; true when synced. */
    public boolean awaitSynced(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!hasSynced()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** A snapshot of the index, ordered by job. */
    public Map<JobRef, FlinkDeploymentView> views() {
        return Collections.unmodifiableMap(new TreeMap<>(index));
    }

    /** The current view of one job, or null. */
    public FlinkDeploymentView view(JobRef job) {
        return index.get(job);
    }

    /** Objects that could not be read (job → why); they are absent from {@link #views()}, so never scaled. */
    public Map<JobRef, String> invalid() {
        return Collections.unmodifiableMap(new TreeMap<>(invalid));
    }

    @Override
    public synchronized void close() {
        for (SharedIndexInformer<GenericKubernetesResource> i : informers) {
            i.close();
        }
        informers.clear();
    }

    private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
        @Override
        public void onAdd(GenericKubernetesResource r) {
            upsert(r);
        }

        @Override
        public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
            upsert(newObj);
        }

        @Override
        public void onDelete(GenericKubernetesResource r, boolean deletedFinalStateUnknown) {
            JobRef job = new JobRef(r.getMetadata().getNamespace(), r.getMetadata().getName());
            index.remove(job);
            invalid.remove(job);
            for (Consumer<JobRef> l : deleteListeners) {
                try {
                    l.accept(job);
                } catch (RuntimeException e) {
                    LOG.warn("delete listener failed for {}: {}", job, e.toString());
                }
            }
        }

        private void upsert(GenericKubernetesResource r) {
            JobRef job = new JobRef(r.getMetadata().getNamespace(), r.getMetadata().getName());
            try {
                index.put(job, FlinkDeploymentView.of(r));
                invalid.remove(job);
            } catch (RuntimeException e) {
                index.remove(job);
                String why = String.valueOf(e.getMessage());
                if (!why.equals(invalid.put(job, why))) {
                    LOG.warn("ignoring FlinkDeployment {}: {}", job, why);
                }
            }
        }
    }
}

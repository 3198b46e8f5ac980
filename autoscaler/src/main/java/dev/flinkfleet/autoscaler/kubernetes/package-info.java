/**
 * The daemon's Kubernetes side, on fabric8 {@code GenericKubernetesResource} so any operator version works.
 *
 * <ul>
 *   <li>{@link dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentWatcher}: one informer per namespace (or one
 *       for all) keeps JobRef → {@link dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentView}; the loop never
 *       lists FlinkDeployments per cycle.</li>
 *   <li>{@link dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentActuator}: re-reads, checks
 *       {@link dev.flinkfleet.autoscaler.kubernetes.SafetyCheck}, pause, the operator's own autoscaler and that the
 *       size is still the decision's, then JSON-merge-patches with the checked resourceVersion. A 409 is re-read
 *       once; it retries only on unchanged ground, else skips. Never a blind overwrite. In taskmanager-replicas mode
 *       the size goes through the /scale subresource when API discovery lists it (the operator's CRD maps it to
 *       spec.taskManager.replicas), else by merge patch. Every patch is sent as field manager {@code flinkfleet}.</li>
 *   <li>{@link dev.flinkfleet.autoscaler.kubernetes.AnnotationStateStore}: governor state in an annotation,
 *       cached, with throttled history writes (see its doc for the API-server budget).</li>
 *   <li>{@link dev.flinkfleet.autoscaler.kubernetes.EventRecorder}: core/v1 Events on the FlinkDeployment for
 *       rescales and hold-reason changes.</li>
 * </ul>
 *
 * <p>Worker counts: a worker is a TaskManager. In {@code job-parallelism} and {@code vertex-overrides} modes the
 * size in workers is ceil(parallelism / slots); the signal source must report
 * {@link dev.flinkfleet.autoscaler.kubernetes.ModeFields#currentWorkers} as the job's current workers, since
 * the actuator refuses a decision made for a different size.
 */
package dev.flinkfleet.autoscaler.kubernetes;

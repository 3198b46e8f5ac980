package dev.flinkfleet.autoscaler.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.flinkfleet.autoscaler.testing.FlinkDeploymentFixtures;
import dev.flinkfleet.policies.ActuationMode;
import dev.flinkfleet.policies.Actuator.Outcome;
import dev.flinkfleet.policies.Actuator.Result;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.JobRef;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * The requests the actuator and the state store send, as the API server receives them: field manager, content
 * type, path (the FlinkDeployment or its /scale subresource) and body. The mock server applies a /scale patch to
 * the object itself (it does not implement the Scale mapping), so these tests assert the request shapes; the
 * mapping itself is the operator CRD's, checked in {@link #theOperatorsCrdMapsScaleToTaskManagerReplicas}.
 */
class PatchRequestShapeTest {

    private static final AtomicInteger NS = new AtomicInteger();

    /** One request as the server received it (the mock's own RecordedRequest body is consumed by the dispatcher). */
    record Sent(String method, String path, String contentType, String body) {
    }

    /** fabric8's CRUD-with-expectations dispatcher, keeping a copy of every request. */
    static final class Recording extends KubernetesMixedDispatcher {
        final List<Sent> sent = new CopyOnWriteArrayList<>();

        Recording(Map<ServerRequest, Queue<ServerResponse>> responses) {
            super(responses);
        }

        @Override
        public MockResponse dispatch(RecordedRequest r) {
            byte[] body = r.getBody().readByteArray();
            r.getBody().write(body);
            sent.add(new Sent(r.getMethod(), r.getPath(), r.getHeader("Content-Type"), new String(body, StandardCharsets.UTF_8)));
            return super.dispatch(r);
        }
    }

    static KubernetesMockServer server;
    static Recording recording;
    static KubernetesClient client;

    private JobRef job;
    private String resource;

    @BeforeAll
    static void start() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        recording = new Recording(responses);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, recording, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        FlinkDeploymentFixtures.installCrd(client);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.destroy();
    }

    @BeforeEach
    void deployment() {
        server.clearExpectations();
        job = new JobRef("fraud-" + NS.incrementAndGet(), "scorer");
        resource = "/apis/flink.apache.org/v1beta1/namespaces/" + job.namespace() + "/flinkdeployments/scorer";
        FlinkDeploymentFixtures.deployment(job.namespace(), job.name()).create(client);
    }

    /** Discovery as a real API server answers it when the CRD declares the scale subresource. */
    private void discoveryListsScale() {
        server.expect().get().withPath("/apis/flink.apache.org/v1beta1").andReturn(200, new APIResourceListBuilder()
                .withGroupVersion("flink.apache.org/v1beta1")
                .addNewResource().withName("flinkdeployments").withKind("FlinkDeployment").withNamespaced(true).endResource()
                .addNewResource().withName("flinkdeployments/status").withKind("FlinkDeployment").withNamespaced(true).endResource()
                .addNewResource().withName("flinkdeployments/scale").withGroup("autoscaling").withVersion("v1").withKind("Scale")
                .withNamespaced(true).endResource()
                .build()).always();
    }

    /** The PATCH requests received since the last call, in order. */
    private List<Sent> patches() {
        List<Sent> out = recording.sent.stream().filter(r -> "PATCH".equals(r.method())).toList();
        recording.sent.clear();
        return out;
    }

    private static JsonNode body(Sent r) throws Exception {
        return JsonPatches.MAPPER.readTree(r.body());
    }

    private static void assertMergePatchBy(String path, Sent r) {
        assertEquals(path + "?fieldManager=flinkfleet", r.path(), "path and field manager");
        String type = r.contentType();
        assertNotNull(type);
        assertTrue(type.startsWith("application/merge-patch+json"), type);
    }

    record Shape(String name, boolean scaleServed, ActuationMode mode) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Shape> shapes() {
        return Stream.of(
                new Shape("replicas mode, no /scale listed: one merge patch of the field", false, ActuationMode.TASKMANAGER_REPLICAS),
                new Shape("replicas mode, /scale listed: annotations, then the Scale", true, ActuationMode.TASKMANAGER_REPLICAS),
                new Shape("parallelism mode ignores /scale (it maps to replicas)", true, ActuationMode.JOB_PARALLELISM));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void rescaleRequests(Shape c) throws Exception {
        if (c.scaleServed()) {
            discoveryListsScale();
        }
        String rv = DeploymentAccess.of(client).get(job).getMetadata().getResourceVersion();
        patches();

        Result r = new FlinkDeploymentActuator(client, ActuatorSettings.defaults().withMode(c.mode())).apply(TestDecisions.scale(job, 3, 5));

        assertEquals(Outcome.APPLIED, r.outcome(), r.detail());
        List<Sent> sent = patches();
        boolean viaScale = c.scaleServed() && c.mode() == ActuationMode.TASKMANAGER_REPLICAS;
        assertEquals(viaScale ? 2 : 1, sent.size(), "patches sent");
        Sent first = sent.get(0);
        assertMergePatchBy(resource, first);
        JsonNode main = body(first);
        assertEquals(rv, main.at("/metadata/resourceVersion").asText(), "the checked resourceVersion is the precondition");
        assertFalse(main.at("/metadata/annotations/flinkfleet.dev~1governor-state").isMissingNode(), "governor state in the same write");
        if (c.mode() == ActuationMode.JOB_PARALLELISM) {
            assertEquals(10, main.at("/spec/job/parallelism").asInt());
        } else if (viaScale) {
            assertTrue(main.at("/spec/taskManager").isMissingNode(), "the size is not in the object's patch: " + main);
            Sent scale = sent.get(1);
            assertMergePatchBy(resource + "/scale", scale);
            JsonNode s = body(scale);
            assertEquals(5, s.at("/spec/replicas").asInt());
            assertTrue(s.at("/spec/taskManager").isMissingNode(), "a Scale has only spec.replicas: " + s);
            String rvAfterFirst = s.at("/metadata/resourceVersion").asText();
            assertFalse(rvAfterFirst.isEmpty() || rvAfterFirst.equals(rv),
                    "the Scale names the version the annotation patch produced (" + rvAfterFirst + " vs " + rv + ")");
            assertTrue(r.detail().contains("/scale"), r.detail());
        } else {
            assertEquals(5, main.at("/spec/taskManager/replicas").asInt());
            assertEquals(5, FlinkDeploymentFixtures.replicas(client, job.namespace(), job.name()));
        }
    }

    @Test
    void aWriterBetweenTheTwoPatchesFailsTheScaleWhichIsRetriedOnUnchangedGround() {
        DeploymentAccess real = DeploymentAccess.of(client);
        AtomicInteger scalePatches = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        DeploymentAccess withScale = new DeploymentAccess() {
            @Override
            public GenericKubernetesResource get(JobRef j) {
                return real.get(j);
            }

            @Override
            public GenericKubernetesResource mergePatch(JobRef j, String json) {
                return real.mergePatch(j, json);
            }

            @Override
            public boolean servesScale() {
                return true;
            }

            @Override
            public GenericKubernetesResource scalePatch(JobRef j, String resourceVersion, int replicas) {
                if (scalePatches.getAndIncrement() == 0) {
                    // Someone labels the object between our annotation patch and our Scale patch.
                    real.mergePatch(j, "{\"metadata\":{\"labels\":{\"owner\":\"sre\"}}}");
                }
                return real.scalePatch(j, resourceVersion, replicas);
            }
        };
        patches();

        Result r = new FlinkDeploymentActuator(withScale, ActuatorSettings.defaults(), conflicts::incrementAndGet).apply(TestDecisions.scale(job, 3, 5));

        assertEquals(Outcome.APPLIED, r.outcome(), r.detail());
        assertEquals(1, conflicts.get(), "the first Scale named a stale resourceVersion");
        assertEquals(2, scalePatches.get());
        List<Sent> scales = patches().stream().filter(p -> p.path().contains("/scale")).toList();
        assertEquals(2, scales.size());
        scales.forEach(p -> assertMergePatchBy(resource + "/scale", p));
    }

    @Test
    void scaleForbiddenByRbacFallsBackToTheFieldAndStopsAsking() throws Exception {
        discoveryListsScale();
        server.expect().patch().withPath(resource + "/scale?fieldManager=flinkfleet")
                .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden").withMessage("cannot patch resource \"flinkdeployments/scale\"").build())
                .always();
        FlinkDeploymentActuator actuator = new FlinkDeploymentActuator(client, ActuatorSettings.defaults());
        patches();

        Result first = actuator.apply(TestDecisions.scale(job, 3, 5));

        assertEquals(Outcome.APPLIED, first.outcome(), first.detail());
        assertEquals(5, FlinkDeploymentFixtures.replicas(client, job.namespace(), job.name()));
        List<Sent> sent = patches();
        assertEquals(List.of(resource, resource + "/scale", resource), sent.stream().map(p -> p.path().replace("?fieldManager=flinkfleet", "")).toList());
        JsonNode fallback = body(sent.get(2));
        assertEquals(5, fallback.at("/spec/taskManager/replicas").asInt());
        assertFalse(fallback.at("/metadata/resourceVersion").asText().isEmpty(), "still conditional on the version: " + fallback);

        // The operator rolls the new size out and observes the generation; then the next rescale may go.
        long generation = DeploymentAccess.of(client).get(job).getMetadata().getGeneration();
        client.genericKubernetesResources(FlinkDeploymentFixtures.CONTEXT).inNamespace(job.namespace()).withName(job.name())
                .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), JsonPatches.MAPPER.writeValueAsString(
                        Map.of("status", FlinkDeploymentFixtures.deployment(job.namespace(), job.name()).replicas(5).status(generation))));
        patches();

        Result second = actuator.apply(TestDecisions.scale(job, 5, 6));

        assertEquals(Outcome.APPLIED, second.outcome(), second.detail());
        assertEquals(6, FlinkDeploymentFixtures.replicas(client, job.namespace(), job.name()));
        assertEquals(1, patches().size(), "one merge patch; /scale is not asked again");
    }

    @Test
    void stateStoreWritesAsTheSameFieldManager() throws Exception {
        Clock clock = Clock.fixed(TestDecisions.AT, ZoneOffset.UTC);
        patches();

        new AnnotationStateStore(client, clock, Duration.ofMinutes(5)).save(job, GovernorState.empty().afterScale(TestDecisions.AT, 3, 5));

        List<Sent> sent = patches();
        assertEquals(1, sent.size());
        assertMergePatchBy(resource, sent.get(0));
        assertFalse(body(sent.get(0)).at("/metadata/annotations/flinkfleet.dev~1governor-state").isMissingNode());
    }

    @Test
    void theOperatorsCrdMapsScaleToTaskManagerReplicas() {
        CustomResourceDefinition crd = dev.flinkfleet.testkit.FlinkDeploymentCrd.load(client);
        List<CustomResourceDefinitionVersion> versions = crd.getSpec().getVersions();
        assertFalse(versions.isEmpty());
        for (CustomResourceDefinitionVersion v : versions) {
            assertNotNull(v.getSubresources().getScale(), v.getName() + " declares /scale");
            assertEquals(ScaleSubresource.SPEC_REPLICAS_PATH, v.getSubresources().getScale().getSpecReplicasPath(), v.getName());
        }
    }

    record Discovery(String name, List<String> resources, boolean served) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Discovery> discoveries() {
        return Stream.of(
                new Discovery("scale listed", List.of("flinkdeployments", "flinkdeployments/status", "flinkdeployments/scale"), true),
                new Discovery("status only", List.of("flinkdeployments", "flinkdeployments/status"), false),
                new Discovery("another kind's scale", List.of("flinksessionjobs/scale", "flinkdeployments"), false),
                new Discovery("nothing listed", List.of(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("discoveries")
    void discoveryDecides(Discovery c) {
        var list = new APIResourceListBuilder();
        c.resources().forEach(n -> list.addNewResource().withName(n).endResource());
        assertEquals(c.served(), ScaleSubresource.served(list.build()));
    }

    @Test
    void scalePatchBody() throws Exception {
        assertEquals(Map.of("metadata", Map.of("resourceVersion", "42"), "spec", Map.of("replicas", 7)),
                JsonPatches.MAPPER.readValue(ScaleSubresource.patch("42", 7), Map.class));
    }
}

package dev.flinkfleet.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The Flink Kubernetes Operator's own FlinkDeployment CRD, from the operator-api jar, for an embedded or mock
 * API server (tests and the demo). Never a hand-written copy: names, versions and subresources are the
 * operator's.
 */
public final class FlinkDeploymentCrd {

    /** The apiextensions/v1 file; the jar's -v1beta1.yml is the pre-1.22 CRD format. */
    public static final String RESOURCE = "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml";

    private static volatile CustomResourceDefinition cached;

    private FlinkDeploymentCrd() {
    }

    /** Creates the CRD on the server behind {@code client}. */
    public static void install(KubernetesClient client) {
        client.apiextensions().v1().customResourceDefinitions()
                .resource(new CustomResourceDefinitionBuilder(load(client)).build()).create();
    }

    /**
     * The CRD with its 0.5 MB OpenAPI schema replaced by "preserve unknown fields": the mock server does not
     * validate against it, and parsing it costs seconds per use on a loaded machine.
     */
    public static CustomResourceDefinition load(KubernetesClient client) {
        CustomResourceDefinition crd = cached;
        if (crd == null) {
            try (InputStream in = FlinkDeploymentCrd.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " not on the class path (flink-kubernetes-operator-api)");
                }
                String yaml = withoutSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                crd = client.getKubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
                cached = crd;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return crd;
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
}

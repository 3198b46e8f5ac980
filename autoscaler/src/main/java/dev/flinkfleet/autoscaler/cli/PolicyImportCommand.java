package dev.flinkfleet.autoscaler.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.config.PolicyFileException;
import dev.flinkfleet.policies.config.PolicyFiles;
import dev.flinkfleet.autoscaler.kubernetes.FlinkConfigurationMaps;
import dev.flinkfleet.autoscaler.kubernetes.OperatorConfigSource;
import dev.flinkfleet.autoscaler.kubernetes.OperatorDefaults;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code policy import --from-flinkdeployment FILE|-}: a policy file equivalent to the Flink operator autoscaler's
 * settings on one FlinkDeployment, checked by our own policy loader before it is printed. Notes on what did not
 * carry over go to stderr (and into the file as comments).
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Write a policy file equivalent to the Flink operator autoscaler's job.autoscaler.* settings on a FlinkDeployment.")
final class PolicyImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--from-flinkdeployment", required = true, paramLabel = "FILE|-",
            description = "FlinkDeployment manifest (YAML or JSON); '-' reads standard input.")
    String from;

    @Option(names = "--operator-config", paramLabel = "FILE",
            description = "The operator's ConfigMap (e.g. kubectl get configmap flink-operator-config -o yaml): its operator-wide "
                    + "defaults apply to options the job does not set, as in the operator.")
    Path operatorConfig;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the policy file here instead of standard output.")
    Path output;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String text;
        String source = "-".equals(from) ? "standard input" : from;
        if ("-".equals(from)) {
            InputStream in = System.in;
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } else {
            text = Files.readString(Path.of(from));
        }
        GenericKubernetesResource r;
        try {
            r = new KubernetesSerialization().unmarshal(text, GenericKubernetesResource.class);
        } catch (RuntimeException e) {
            err.println("ERROR " + source + ": not a Kubernetes manifest: " + e.getMessage());
            return Main.PROBLEMS;
        }
        if (r == null || !"FlinkDeployment".equals(r.getKind()) || r.getMetadata() == null || r.getMetadata().getName() == null) {
            err.println("ERROR " + source + ": expected one FlinkDeployment with metadata.name, got "
                    + (r == null ? "nothing" : "kind " + r.getKind()));
            return Main.PROBLEMS;
        }
        String namespace = r.getMetadata().getNamespace() == null ? "default" : r.getMetadata().getNamespace();
        String name = r.getMetadata().getName();
        Map<String, String> operatorDefaults = Map.of();
        if (operatorConfig != null) {
            ConfigMap cm;
            try {
                cm = new KubernetesSerialization().unmarshal(Files.readString(operatorConfig), ConfigMap.class);
            } catch (RuntimeException e) {
                err.println("ERROR " + operatorConfig + ": not a ConfigMap manifest: " + e.getMessage());
                return Main.PROBLEMS;
            }
            OperatorDefaults d = OperatorConfigSource.parse(operatorConfig.toString(), cm == null || cm.getData() == null ? Map.of() : cm.getData());
            if (!d.readable()) {
                err.println("ERROR " + d.problem());
                return Main.PROBLEMS;
            }
            operatorDefaults = d.conf();
        }
        OperatorOptionsImport.Result result = OperatorOptionsImport.convert(namespace, name, flinkConfiguration(r), operatorDefaults, source);

        // Our own loader checks the file before anyone uses it: an import that does not load is a bug, not a file.
        Path dir = Files.createTempDirectory("policy-import");
        Path file = dir.resolve(name + ".conf");
        try {
            Files.writeString(file, result.policyFile());
            PolicyFiles.loadFile(file, PolicyRegistry.builtIn());
        } catch (PolicyFileException e) {
            e.errors().forEach(x -> err.println("ERROR imported policy does not load: " + x));
            return Main.PROBLEMS;
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
        result.notes().forEach(n -> err.println("NOTE " + n));
        if (output != null) {
            Files.writeString(output, result.policyFile());
            err.println("wrote " + output);
        } else {
            out.print(result.policyFile());
        }
        return 0;
    }

    /** spec.flinkConfiguration flattened to dotted keys; a YAML list (e.g. excluded.periods) joined with ';' as Flink lists are. */
    static Map<String, String> flinkConfiguration(GenericKubernetesResource r) {
        Object spec = r.getAdditionalProperties().get("spec");
        if (spec instanceof Map<?, ?> s && s.get("flinkConfiguration") instanceof Map<?, ?> fc) {
            return FlinkConfigurationMaps.flatten(fc);
        }
        return new LinkedHashMap<>();
    }
}

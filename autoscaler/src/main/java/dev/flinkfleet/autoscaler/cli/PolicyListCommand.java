package dev.flinkfleet.autoscaler.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.ScalingPolicyFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code policy list}: the policies a policy file may name. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the scaling policies on the class path.")
final class PolicyListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PolicyRegistry registry = PolicyRegistry.builtIn();
        int width = registry.all().keySet().stream().mapToInt(String::length).max().orElse(0);
        for (ScalingPolicyFactory f : registry.all().values()) {
            out.printf("%-" + width + "s  %s%n", f.name(), f.description());
        }
        return 0;
    }
}

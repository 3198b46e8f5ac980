package dev.flinkfleet.autoscaler.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import dev.flinkfleet.policies.config.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code policy keys}: every configuration key with its default and documentation, from reference.conf. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Print every configuration key under flinkfleet with its default and documentation.")
final class PolicyKeysCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "PREFIX", description = "Only keys starting with this, e.g. flinkfleet.governor.")
    String prefix = "";

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Reference.Key> keys = Reference.keys(Reference.get(), "flinkfleet").stream()
                .filter(k -> k.path().startsWith(prefix)).toList();
        if (keys.isEmpty()) {
            spec.commandLine().getErr().println("no keys start with '" + prefix + "'");
            return Main.PROBLEMS;
        }
        for (Reference.Key k : keys) {
            if (k.section()) {
                out.println();
                out.println(k.path() + " { ... }");
            } else {
                out.println(k.path() + " = " + k.defaultValue());
            }
            out.println("    " + (k.doc().isEmpty() ? "(undocumented)" : k.doc()));
        }
        return 0;
    }
}

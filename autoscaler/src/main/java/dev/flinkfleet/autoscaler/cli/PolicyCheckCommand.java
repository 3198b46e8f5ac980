package dev.flinkfleet.autoscaler.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.config.ApplicationPolicy;
import dev.flinkfleet.policies.config.Applications;
import dev.flinkfleet.policies.config.Inventory;
import dev.flinkfleet.policies.config.PolicyFileException;
import dev.flinkfleet.policies.config.PolicyFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code policy check DIR [--jobs FILE]}: validates every policy file, then shows which application governs
 * which job (with an inventory) or which applications might compete for jobs (without one).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate the policy files in DIR; with --jobs, show which application governs each job.")
final class PolicyCheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Directory of application policy files (*.conf).")
    Path dir;

    @Option(names = "--jobs", paramLabel = "FILE",
            description = "Job inventory: one job per line, 'namespace/name [key=value ...]'; '#' starts a comment.")
    Path jobs;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ApplicationPolicy> apps;
        List<Inventory.Entry> inventory = List.of();
        List<String> errors = new ArrayList<>();
        try {
            apps = PolicyFiles.loadDir(dir, PolicyRegistry.builtIn());
        } catch (PolicyFileException e) {
            errors.addAll(e.errors());
            apps = List.of();
        }
        if (jobs != null) {
            try {
                inventory = Inventory.read(jobs);
            } catch (PolicyFileException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            errors.forEach(e -> out.println("ERROR " + e));
            out.println(errors.size() + (errors.size() == 1 ? " error" : " errors"));
            return Main.PROBLEMS;
        }

        for (ApplicationPolicy a : apps) {
            out.printf("%s: policy %s, SLA %s, select %s (%s)%n", a.name(), a.policyName(),
                    Durations.format(a.slaLatency()), a.selector(), a.source());
        }
        Applications applications = new Applications(apps);
        int problems = 0;
        if (jobs == null) {
            for (Applications.Overlap o : applications.possibleOverlaps()) {
                out.printf("WARN applications %s (%s) and %s (%s) may select the same jobs; run with --jobs to check%n",
                        o.first().name(), o.first().source(), o.second().name(), o.second().source());
            }
        } else {
            problems = reportMatches(out, applications, inventory);
        }
        out.printf("%d application%s%s%n", apps.size(), apps.size() == 1 ? "" : "s",
                problems == 0 ? ", OK" : ", " + problems + (problems == 1 ? " error" : " errors"));
        return problems == 0 ? 0 : Main.PROBLEMS;
    }

    private int reportMatches(PrintWriter out, Applications applications, List<Inventory.Entry> inventory) {
        Map<String, List<String>> byApp = new LinkedHashMap<>();
        applications.all().forEach(a -> byApp.put(a.name(), new ArrayList<>()));
        List<Inventory.Entry> unmatched = new ArrayList<>();
        List<String> doubles = new ArrayList<>();
        for (Inventory.Entry e : inventory) {
            List<ApplicationPolicy> m = applications.matching(e.job(), e.labels());
            if (m.isEmpty()) {
                unmatched.add(e);
            } else if (m.size() > 1) {
                doubles.add(jobs + ":" + e.line() + ": " + e.job() + ": matched by " + m.size() + " applications: "
                        + m.stream().map(a -> a.name() + " (" + a.source() + ")").collect(Collectors.joining(", ")));
            } else {
                byApp.get(m.get(0).name()).add(e.job().toString());
            }
        }
        out.printf("jobs in %s: %d, governed %d, unmatched %d, matched twice %d%n", jobs, inventory.size(),
                inventory.size() - unmatched.size() - doubles.size(), unmatched.size(), doubles.size());
        byApp.forEach((app, js) -> out.printf("  %s (%d): %s%n", app, js.size(), js.isEmpty() ? "-" : String.join(", ", js)));
        if (!unmatched.isEmpty()) {
            out.printf("  unmatched (%d): %s%n", unmatched.size(),
                    unmatched.stream().map(e -> e.job().toString()).collect(Collectors.joining(", ")));
        }
        doubles.forEach(d -> out.println("ERROR " + d));
        return doubles.size();
    }
}

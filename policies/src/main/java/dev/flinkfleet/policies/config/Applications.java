package dev.flinkfleet.policies.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.flinkfleet.policies.JobRef;

/** The loaded applications of a policy directory, and which of them govern a job. */
public record Applications(List<ApplicationPolicy> all) {

    /** Two applications whose selectors may select the same job. */
    public record Overlap(ApplicationPolicy first, ApplicationPolicy second) {
    }

    public Applications {
        all = List.copyOf(all);
    }

    /** Every application whose selector matches the job; more than one is a configuration error. */
    public List<ApplicationPolicy> matching(JobRef job, Map<String, String> labels) {
        return all.stream().filter(a -> a.selector().matches(job, labels)).toList();
    }

    /** Pairs of applications that a static check cannot prove disjoint, in file order. */
    public List<Overlap> possibleOverlaps() {
        List<Overlap> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                if (all.get(i).selector().mayOverlap(all.get(j).selector())) {
                    out.add(new Overlap(all.get(i), all.get(j)));
                }
            }
        }
        return out;
    }
}

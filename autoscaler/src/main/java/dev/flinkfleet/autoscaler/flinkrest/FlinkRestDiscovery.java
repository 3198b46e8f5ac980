package dev.flinkfleet.autoscaler.flinkrest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.flinkfleet.policies.JobRef;

/**
 * Finds the jobs to govern in flink-rest mode: every RUNNING job on every configured Flink REST endpoint, named
 * {@code <cluster>/<job name>}. Two running jobs with one name on one cluster cannot be told apart by their
 * metrics (Prometheus knows them by name), so neither is governed and both are reported. An endpoint that
 * cannot be read is reported with its jobs left out for this round; nothing is thrown. Costs one overview call
 * per endpoint plus one job call per running job. The last round is kept for the actuator.
 */
public final class FlinkRestDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(FlinkRestDiscovery.class);

    /**
     * One round.
     *
     * @param jobs     the governed jobs
     * @param failures per endpoint that could not be read, why (names the endpoint)
     * @param problems jobs left out and why (duplicate names, a job that could not be read)
     */
    public record Round(Map<JobRef, RestJob> jobs, Map<String, String> failures, List<String> problems) {
        public Round {
            jobs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(jobs));
            failures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(failures));
            problems = List.copyOf(problems);
        }
    }

    private final List<FlinkRestClient> endpoints;
    private volatile Round last = new Round(Map.of(), Map.of(), List.of());

    public FlinkRestDiscovery(List<FlinkRestClient> endpoints) {
        this.endpoints = List.copyOf(Objects.requireNonNull(endpoints, "endpoints"));
    }

    /** Reads every endpoint; never throws. */
    public Round discover() {
        Map<JobRef, RestJob> jobs = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (FlinkRestClient e : endpoints) {
            List<JobSummary> running;
            try {
                running = e.jobs().stream().filter(j -> "RUNNING".equals(j.state())).toList();
            } catch (FlinkRestException ex) {
                failures.put(e.name(), ex.getMessage());
                continue;
            }
            Map<String, List<JobSummary>> byName = running.stream().collect(Collectors.groupingBy(JobSummary::name, LinkedHashMap::new, Collectors.toList()));
            for (Map.Entry<String, List<JobSummary>> n : byName.entrySet()) {
                if (n.getValue().size() > 1) {
                    problems.add(e.describe() + ": " + n.getValue().size() + " running jobs are named '" + n.getKey() + "' ("
                            + n.getValue().stream().map(JobSummary::id).toList() + "); neither is governed, since their metrics share one job_name");
                    continue;
                }
                JobSummary s = n.getValue().get(0);
                if (n.getKey().isBlank()) {
                    problems.add(e.describe() + ": job " + s.id() + " has a blank name; not governed");
                    continue;
                }
                try {
                    JobDetails d = e.job(s.id());
                    jobs.put(new JobRef(e.name(), n.getKey()), new RestJob(new JobRef(e.name(), n.getKey()), e, s.id(), d.parallelism(),
                            d.vertices().stream().map(JobDetails.Vertex::id).toList()));
                } catch (FlinkRestException ex) {
                    problems.add("job '" + n.getKey() + "' not governed this round: " + ex.getMessage());
                }
            }
        }
        Round r = new Round(jobs, failures, problems);
        tellChanges(r);
        last = r;
        return r;
    }

    /** Logs each failure and problem once, when it first appears, and when an endpoint is readable again. */
    private void tellChanges(Round r) {
        Round before = last;
        r.failures().forEach((endpoint, why) -> {
            if (!why.equals(before.failures().get(endpoint))) {
                LOG.warn("{}; its jobs are not governed until it answers", why);
            }
        });
        before.failures().keySet().stream().filter(e -> !r.failures().containsKey(e))
                .forEach(e -> LOG.info("Flink REST endpoint '{}' answers again", e));
        r.problems().stream().filter(p -> !before.problems().contains(p)).forEach(p -> LOG.warn("{}", p));
    }

    /** The job behind {@code ref} in the last round, or null. */
    public RestJob job(JobRef ref) {
        return last.jobs().get(ref);
    }

    /** The last round. */
    public Round last() {
        return last;
    }
}

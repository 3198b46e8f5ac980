package dev.flinkfleet.policies.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.PolicyRegistry;

/** The shipped examples in config/policies/ must stay valid as keys and policies change. */
class ExamplePoliciesTest {

    private static final Path DIR = Path.of("..", "config", "policies");

    @Test
    void shippedPolicyFilesAreValid() {
        List<ApplicationPolicy> apps = PolicyFiles.loadDir(DIR, PolicyRegistry.builtIn());
        assertEquals(List.of("firewall-logs-to-warehouse", "siem-forwarding"), apps.stream().map(ApplicationPolicy::name).toList());
        ApplicationPolicy fw = apps.get(0);
        ApplicationPolicy siem = apps.get(1);
        assertEquals("backlog-drain", fw.policyName());
        assertEquals(Duration.ofMinutes(10), fw.slaLatency());
        assertEquals(200, fw.governorConfig().maxWorkers());
        assertEquals("target-utilization", siem.policyName());
        assertEquals(Duration.ofMinutes(2), siem.slaLatency());
        assertEquals(List.of(), new Applications(apps).possibleOverlaps(), "the examples govern disjoint jobs");
        assertEquals(List.of(fw), new Applications(apps).matching(JobRef.parse("security-pipelines/firewall-logs-to-warehouse-eu"), Map.of("sink", "bigquery")));
        assertEquals(List.of(siem), new Applications(apps).matching(JobRef.parse("security-pipelines/siem-forward-acme"), Map.of()));
    }
}

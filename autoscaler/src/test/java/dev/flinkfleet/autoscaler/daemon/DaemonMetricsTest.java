package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.ReasonCode;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

class DaemonMetricsTest {

    private static String scrape(PrometheusRegistry registry) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void recordsPerJobGaugesAndDecisionCountsAndForgetsDeletedJobs() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        DaemonMetrics metrics = new DaemonMetrics(registry);
        JobOutcome a = DaemonTestSupport.outcome(new JobRef("sec", "fw-logs"), "firewall", 4, 8,
                ReasonCode.SCALE_UP_BACKLOG, Actuator.Result.applied("patched"));
        JobOutcome b = DaemonTestSupport.outcome(new JobRef("sec", "siem"), "siem", 3, 3, ReasonCode.HOLD_IN_RANGE, null);
        metrics.onJob(a);
        metrics.onJob(b);
        metrics.onCycle(DaemonTestSupport.NOW, List.of(a, b));

        String text = scrape(registry);
        assertTrue(text.contains("flinkfleet_job_workers_desired{application=\"firewall\",job=\"fw-logs\",namespace=\"sec\"} 8.0"), text);
        assertTrue(text.contains("flinkfleet_job_workers_current{application=\"firewall\",job=\"fw-logs\",namespace=\"sec\"} 4.0"), text);
        assertTrue(text.contains("flinkfleet_decisions_total{application=\"firewall\",reason=\"SCALE_UP_BACKLOG\"} 1.0"), text);
        assertTrue(text.contains("flinkfleet_patches_total{outcome=\"applied\"} 1.0"), text);
        assertTrue(text.contains("flinkfleet_job_signal{application=\"siem\",job=\"siem\",namespace=\"sec\",signal=\"backlog\"} 1234.0"), text);
        assertTrue(text.contains("signal=\"throughput\"} NaN"), text);

        // Next cycle the siem job is gone: its series go too.
        metrics.onJob(a);
        metrics.onCycle(DaemonTestSupport.NOW, List.of(a));
        String after = scrape(registry);
        assertFalse(after.contains("job=\"siem\""), after);
        assertTrue(after.contains("job=\"fw-logs\""), after);
    }

    @Test
    void countsTheActuatorsHoldReasonWhenItDidNotApply() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        DaemonMetrics metrics = new DaemonMetrics(registry);
        JobOutcome held = DaemonTestSupport.outcome(new JobRef("sec", "fw-logs"), "firewall", 4, 8,
                ReasonCode.SCALE_UP_BACKLOG, Actuator.Result.skipped(ReasonCode.HOLD_BUDGET, "budget"));
        metrics.onJob(held);
        String text = scrape(registry);
        assertTrue(text.contains("flinkfleet_decisions_total{application=\"firewall\",reason=\"HOLD_BUDGET\"} 1.0"), text);
        assertTrue(text.contains("flinkfleet_patches_total{outcome=\"skipped\"} 1.0"), text);
    }
}

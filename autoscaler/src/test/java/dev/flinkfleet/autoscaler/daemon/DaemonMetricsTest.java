package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.flinkfleet.policies.Actuator;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.ReasonCode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

class DaemonMetricsTest {

    private static String scrape(PrometheusRegistry registry) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exportsOnlyJobsThatNeedAttentionBesideTheFleetAggregates() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        DaemonMetrics metrics = new DaemonMetrics(registry);
        JobRef fw = new JobRef("sec", "fw-logs");
        metrics.jobLimits(fw, "fw", 10, 60);
        JobOutcome rescaled = DaemonTestSupport.outcome(fw, "fw", 4, 8, ReasonCode.SCALE_UP_BACKLOG, Actuator.Result.applied("patched"));
        JobOutcome calm = DaemonTestSupport.outcome(new JobRef("sec", "siem"), "siem", 3, 3, ReasonCode.HOLD_IN_RANGE, null);
        metrics.onJob(rescaled);
        metrics.onJob(calm);
        metrics.onCycle(DaemonTestSupport.NOW, List.of(rescaled, calm));

        String text = scrape(registry);
        String fwLabels = "{application=\"fw\",flink_job=\"fw-logs\",flink_namespace=\"sec\"}";
        assertTrue(text.contains("flinkfleet_job_workers_desired" + fwLabels + " 8.0"), text);
        assertTrue(text.contains("flinkfleet_job_workers_current" + fwLabels + " 4.0"), text);
        assertTrue(text.contains("flinkfleet_job_workers_max" + fwLabels + " 10.0"), text);
        assertTrue(text.contains("flinkfleet_job_backlog_records" + fwLabels + " 1234.0"), text);
        assertTrue(text.contains("flinkfleet_job_cpu_ratio" + fwLabels + " 0.5"), text);
        assertFalse(text.contains("flinkfleet_job_throughput_records_per_second{"), "a missing signal is absent, not NaN: " + text);
        assertTrue(text.contains("flinkfleet_job_attention{application=\"fw\",cause=\"recently_rescaled\",flink_job=\"fw-logs\",flink_namespace=\"sec\"} 1"), text);
        assertFalse(text.contains("flink_job=\"siem\""), "a calm job has no series of its own: " + text);

        assertTrue(text.contains("flinkfleet_jobs{application=\"siem\",reason=\"HOLD_IN_RANGE\"} 1"), text);
        assertTrue(text.contains("flinkfleet_jobs{application=\"fw\",reason=\"SCALE_UP_BACKLOG\"} 1"), text);
        assertTrue(text.contains("flinkfleet_jobs_signal_quality{application=\"siem\",quality=\"fresh\"} 1"), text);
        assertTrue(text.contains("flinkfleet_jobs_attention{application=\"fw\",cause=\"recently_rescaled\"} 1"), text);
        assertTrue(text.contains("flinkfleet_jobs_exported 1"), text);
        assertTrue(text.contains("flinkfleet_workers_desired{application=\"fw\"} 8"), text);
        assertTrue(text.contains("flinkfleet_rescales_total{application=\"fw\",direction=\"up\"} 1.0"), text);
        assertTrue(text.contains("flinkfleet_decisions_total{application=\"fw\",reason=\"SCALE_UP_BACKLOG\"} 1.0"), text);
        assertTrue(text.contains("flinkfleet_patches_total{outcome=\"applied\"} 1.0"), text);
        assertFalse(text.contains(",job=\"") || text.contains("{job=\"") || text.contains("signal=\""), "no job or signal label any more: " + text);
    }

    @Test
    void aJobKeepsItsSeriesForTheRecentlyRescaledWindowThenLosesThem() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        DaemonMetrics metrics = new DaemonMetrics(registry, new MetricsSettings(false, Duration.ofMinutes(10), 1000));
        JobRef fw = new JobRef("sec", "fw-logs");
        JobOutcome rescaled = DaemonTestSupport.outcome(fw, "fw", 4, 8, ReasonCode.SCALE_UP_BACKLOG, Actuator.Result.applied("patched"));
        JobOutcome calm = DaemonTestSupport.outcome(fw, "fw", 8, 8, ReasonCode.HOLD_IN_RANGE, null);
        metrics.onCycle(DaemonTestSupport.NOW, List.of(rescaled));
        metrics.onCycle(DaemonTestSupport.NOW.plus(Duration.ofMinutes(10)), List.of(calm));
        assertTrue(scrape(registry).contains("flink_job=\"fw-logs\""), "still within 10 minutes");
        metrics.onCycle(DaemonTestSupport.NOW.plus(Duration.ofMinutes(11)), List.of(calm));
        String after = scrape(registry);
        assertFalse(after.contains("flink_job=\"fw-logs\""), after);
        assertTrue(after.contains("flinkfleet_jobs{application=\"fw\",reason=\"HOLD_IN_RANGE\"} 1"), after);
    }

    @Test
    void allJobsByOptInAndAFailingJobSaysSinceWhen() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        DaemonMetrics metrics = new DaemonMetrics(registry, new MetricsSettings(true, Duration.ofMinutes(15), 0));
        JobOutcome calm = DaemonTestSupport.outcome(new JobRef("sec", "siem"), "siem", 3, 3, ReasonCode.HOLD_IN_RANGE, null);
        JobOutcome failed = new JobOutcome(calm.plan().withGovernor(calm.plan().governor()), null, null, null, new IllegalStateException("x"));
        JobOutcome broken = new JobOutcome(new dev.flinkfleet.policies.JobPlan(new JobRef("sec", "broken"), "siem", calm.plan().policy(),
                calm.plan().governor()), null, null, null, new IllegalStateException("boom"));
        metrics.onCycle(DaemonTestSupport.NOW, List.of(calm, broken));
        metrics.onCycle(DaemonTestSupport.NOW.plusSeconds(60), List.of(calm, broken));
        String text = scrape(registry);
        assertTrue(text.contains("flinkfleet_job_attention{application=\"siem\",cause=\"none\",flink_job=\"siem\",flink_namespace=\"sec\"} 1"), text);
        assertTrue(text.contains("flinkfleet_job_failing_since_timestamp_seconds{application=\"siem\",flink_job=\"broken\",flink_namespace=\"sec\"} "
                + (double) DaemonTestSupport.NOW.getEpochSecond()), "failing since the first cycle that failed: " + text);
        assertTrue(text.contains("flinkfleet_jobs{application=\"siem\",reason=\"HOLD_ERROR\"} 1"), text);
        assertTrue(failed.failed());
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
        assertFalse(text.contains("flinkfleet_rescales_total{"), "not applied is no rescale: " + text);
    }

    @Test
    void exportsTheStateOfEachBackendsCircuitBreakerAtScrapeTime() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        DaemonMetrics metrics = new DaemonMetrics(registry);
        AtomicReference<CircuitBreaker.State> state = new AtomicReference<>(CircuitBreaker.State.CLOSED);
        metrics.circuitBreaker("kafka:main", state::get);
        assertTrue(scrape(registry).contains("flinkfleet_backend_circuit_breaker_state{backend=\"kafka:main\",state=\"closed\"} 1"));
        state.set(CircuitBreaker.State.OPEN);
        String text = scrape(registry);
        assertTrue(text.contains("flinkfleet_backend_circuit_breaker_state{backend=\"kafka:main\",state=\"open\"} 1"), text);
        assertTrue(text.contains("flinkfleet_backend_circuit_breaker_state{backend=\"kafka:main\",state=\"closed\"} 0"), text);
        assertTrue(Quality.FRESH.ordinal() == 0);
    }
}

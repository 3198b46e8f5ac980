package dev.flinkfleet.autoscaler.daemon;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import dev.flinkfleet.autoscaler.config.Secrets;
import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.SignalKind;

/**
 * One structured log line per decision, with the job in the MDC. Holds that repeat the previous cycle's reason
 * are logged at DEBUG so a quiet fleet does not write 30,000 lines a minute.
 */
public final class DecisionLog implements CycleListener {

    private static final Logger LOG = LoggerFactory.getLogger("flinkfleet.decisions");

    private final java.util.concurrent.ConcurrentHashMap<dev.flinkfleet.policies.JobRef, String> lastReason =
            new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void onJob(JobOutcome o) {
        MDC.put("job", o.plan().job().toString());
        MDC.put("application", o.plan().application());
        try {
            Decision d = o.decision();
            if (d == null) {
                LOG.warn("job held: {}", o.error() == null ? "no decision" : Secrets.maskSecrets(o.error().toString()));
                lastReason.remove(o.plan().job());
                return;
            }
            String reason = d.reason().name() + (o.result() == null ? "" : "/" + o.result().outcome());
            boolean repeat = reason.equals(lastReason.put(o.plan().job(), reason));
            boolean info = d.changes() || !repeat;
            // The line (and the policy's explanation in it) is rendered only when it will be written.
            if (info ? LOG.isInfoEnabled() : LOG.isDebugEnabled()) {
                String line = line(o);
                if (info) {
                    LOG.info(line);
                } else {
                    LOG.debug(line);
                }
            }
        } finally {
            MDC.remove("job");
            MDC.remove("application");
        }
    }

    @Override
    public void onSourceFailure(Instant now, Exception error) {
        LOG.warn("signal source failed at {}; every job held this cycle: {}", now, error.toString());
    }

    static String line(JobOutcome o) {
        Decision d = o.decision();
        StringBuilder sb = new StringBuilder(256);
        sb.append("decision current=").append(d.currentWorkers())
                .append(" target=").append(d.targetWorkers())
                .append(" reason=").append(d.reason())
                .append(" policy_target=").append(d.recommendation().targetWorkers())
                .append(" policy_reason=").append(d.recommendation().reason())
                .append(" quality=").append(d.signalQuality());
        if (o.result() != null) {
            sb.append(" outcome=").append(o.result().outcome());
            if (o.result().reason() != null) {
                sb.append(" outcome_reason=").append(o.result().reason());
            }
        }
        if (o.signals() != null) {
            for (SignalKind k : SignalKind.values()) {
                var m = o.signals().get(k);
                sb.append(' ').append(k.key()).append('=').append(m.isMissing() ? "missing" : fmt(m.value()));
            }
        }
        for (var a : d.adjustments()) {
            sb.append(" adj=").append(a.code()).append(':').append(a.from()).append("->").append(a.to());
        }
        sb.append(" why=\"").append(d.recommendation().explanation().replace('"', '\'')).append('"');
        if (o.result() != null && o.result().detail() != null) {
            sb.append(" detail=\"").append(Secrets.maskSecrets(o.result().detail()).replace('"', '\'')).append('"');
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.3f", v);
    }
}

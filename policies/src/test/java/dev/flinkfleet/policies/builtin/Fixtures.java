package dev.flinkfleet.policies.builtin;

import java.time.Instant;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.PolicyRegistry;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/** Shared test helpers: signals from raw numbers and policies from HOCON over the reference defaults. */
final class Fixtures {

    static final JobRef JOB = new JobRef("team-a", "enrich");
    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    private Fixtures() {
    }

    /** {@code flinkfleet.policies.<name>} from reference.conf. */
    static Config defaults(String policy) {
        return ConfigFactory.defaultReference().getConfig("flinkfleet.policies." + policy);
    }

    /** User params (HOCON text) over the reference defaults, as the policy-file loader merges them. */
    static Config params(String policy, String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(defaults(policy));
    }

    static ScalingPolicy policy(String name, String hocon) {
        return PolicyRegistry.builtIn().get(name).create(params(name, hocon));
    }

    /**
     * Fresh signals from raw values; NaN, infinite and (for unsigned signals) negative values become missing
     * through {@link dev.flinkfleet.policies.Measurement#of}, as they would from a real source.
     */
    static Signals signals(int workers, double inputRate, double throughput, double backlog, double growth,
                           double backlogTime, double cpu) {
        return Signals.builder(JOB, NOW)
                .workers(workers)
                .parallelism(workers)
                .fresh(SignalKind.INPUT_RATE, inputRate)
                .fresh(SignalKind.THROUGHPUT, throughput)
                .fresh(SignalKind.BACKLOG, backlog)
                .fresh(SignalKind.BACKLOG_GROWTH, growth)
                .fresh(SignalKind.BACKLOG_TIME, backlogTime)
                .fresh(SignalKind.CPU, cpu)
                .build();
    }
}

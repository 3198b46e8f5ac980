package dev.flinkfleet.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

/**
 * The daemon config and the demo application's policy file, with every window and cooldown shortened to suit
 * the compressed time of the demo (seconds instead of minutes). Everything else is the shipped default.
 */
public final class DemoConfig {

    /** Which policy the demo application uses. */
    public enum Policy {
        /** Needs Prometheus: backlog time, CPU, throughput. */
        BACKLOG_DRAIN("backlog-drain"),
        /** Kafka consumer lag only. */
        LAG_THRESHOLD("lag-threshold");

        final String registryName;

        Policy(String registryName) {
            this.registryName = registryName;
        }
    }

    /**
     * @param interval            control-loop interval
     * @param scaleUpCooldown     governor scale-up cooldown
     * @param scaleDownCooldown   governor scale-down cooldown
     * @param stabilization       scale-down stabilisation window
     * @param maxWorkers          governor max-workers
     */
    public record Timing(Duration interval, Duration scaleUpCooldown, Duration scaleDownCooldown, Duration stabilization,
                         int maxWorkers) {
    }

    private DemoConfig() {
    }

    /** Writes {@code <application>.conf} into {@code dir}. */
    public static Path writePolicy(Path dir, DemoEnvironment.Options env, Policy policy, Timing timing) throws IOException {
        double perWorker = env.recordsPerWorker();
        String params = switch (policy) {
            // Backlog time in seconds of processing; thresholds scaled down from the published 120 s / 10 s.
            case BACKLOG_DRAIN -> """
                    scale-up-backlog-time = 4s
                    time-to-drain = 8s
                    scale-down-backlog-time = 1s
                    scale-up-cpu = 0.9
                    scale-down-cpu = 0.6
                    target-cpu = 0.7
                    """;
            // Committed-offset lag grows by a checkpoint interval's input between commits; a few seconds of one
            // worker's capacity per worker keeps the lag policy from chasing that sawtooth.
            case LAG_THRESHOLD -> "lag-per-worker = " + Math.round(perWorker * 3) + "\n";
        };
        String text = """
                # Written by the flinkfleet demo. Windows and cooldowns are seconds, not minutes, because the demo
                # compresses a day of traffic into a few minutes.
                application {
                  name = "%s"
                  select { namespaces = ["%s"], names = ["%s"] }
                  policy = "%s"
                  params {
                %s  }
                  governor {
                    min-workers = 1
                    max-workers = %d
                    tolerance = 0.1
                    scale-up-cooldown = %dms
                    scale-down-cooldown = %dms
                    scale-down-stabilization-window = %dms
                    max-signal-age = 30s
                  }
                  kafka { topics = ["%s"] }
                  # Flink's reporter turns characters outside [A-Za-z0-9_:] in label values into '_'.
                  prometheus { job = "%s" }
                  sla-latency = 30s
                }
                """.formatted(env.application(), DemoEnvironment.NAMESPACE, env.job(), policy.registryName,
                params.indent(4), timing.maxWorkers(), timing.scaleUpCooldown().toMillis(),
                timing.scaleDownCooldown().toMillis(), timing.stabilization().toMillis(), env.topic(),
                env.job().replaceAll("[^A-Za-z0-9_:]", "_"));
        Path file = dir.resolve(env.application() + ".conf");
        Files.writeString(file, text);
        return file;
    }

    /** The daemon's root config (reference defaults merged, resolved). */
    public static Config daemon(Path policiesDir, String bootstrapServers, Optional<String> prometheusUrl, Timing timing) {
        String text = """
                flinkfleet {
                  daemon {
                    interval = %dms
                    dry-run = false
                    reload-policies = false
                    max-rescales-per-minute = 60
                    leader-election.enabled = false
                    http { bind-address = "127.0.0.1", port = 0 }
                    kafka-clusters { demo { bootstrap-servers = "" } }
                    default-kafka-cluster = "demo"
                    backend-guard { open-for = 5s }
                  }
                  prometheus {
                    window = 10s
                    step = 1s
                    stale-after = 15s
                    timeout = 5s
                  }
                  kafka {
                    rate-window = 4s
                    growth-window = 4s
                    stale-after = 20s
                  }
                  kubernetes {
                    namespaces = ["%s"]
                    label-selector = "%s=true"
                    state-history-write-interval = 0s
                  }
                }
                """.formatted(timing.interval().toMillis(), DemoEnvironment.NAMESPACE, DemoEnvironment.AUTOSCALE_LABEL);
        Config c = ConfigFactory.parseString(text)
                .withValue("flinkfleet.daemon.policies-dir", ConfigValueFactory.fromAnyRef(policiesDir.toString()))
                .withValue("flinkfleet.daemon.kafka-clusters.demo.bootstrap-servers", ConfigValueFactory.fromAnyRef(bootstrapServers))
                .withValue("flinkfleet.prometheus.enabled", ConfigValueFactory.fromAnyRef(prometheusUrl.isPresent()))
                .withValue("flinkfleet.prometheus.url", ConfigValueFactory.fromAnyRef(prometheusUrl.orElse("http://127.0.0.1:9")));
        return c.withFallback(ConfigFactory.defaultReference()).resolve();
    }
}

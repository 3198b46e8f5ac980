package dev.flinkfleet.autoscaler.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;

import com.typesafe.config.Config;

import dev.flinkfleet.autoscaler.config.Secrets;
import dev.flinkfleet.autoscaler.daemon.DaemonSettings;
import dev.flinkfleet.autoscaler.record.KafkaTopicRates;
import dev.flinkfleet.autoscaler.record.Progress;
import dev.flinkfleet.autoscaler.record.RecordException;
import dev.flinkfleet.autoscaler.record.StepGrid;
import dev.flinkfleet.autoscaler.record.TraceFileWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trace record kafka}: the produce rate of topics from the broker's time index (see {@link KafkaTopicRates}).
 * Connects as the daemon does: a cluster of the daemon config ({@code flinkfleet.daemon.kafka-clusters}, its
 * {@code admin} properties included), or {@code --bootstrap} with {@code --property} Admin client properties.
 */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = {"Record the produce rate of Kafka topics (or of a consumer group's topics) from offsets by timestamp: "
                + "exact, and needs nothing but the broker. Default range: what retention kept, up to the last whole step.",
                "Example: trace record kafka --bootstrap localhost:9092 --topic orders --step 60s -o traces/orders.csv"})
final class TraceRecordKafkaCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RecordRangeOptions range;

    static final class What {
        @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic to record (repeat for several: their rates add up).")
        List<String> topics;

        @Option(names = "--group", required = true, paramLabel = "GROUP", description = "Record the topics this consumer group has committed offsets for.")
        String group;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    @Option(names = "--config", paramLabel = "FILE", description = "Daemon config to take the Kafka cluster from (with its admin properties).")
    Path config;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Cluster of --config (default: its default-kafka-cluster, or its only one).")
    String cluster;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT,...", description = "Bootstrap servers (instead of --config).")
    String bootstrap;

    @Option(names = {"-p", "--property"}, paramLabel = "KEY=VALUE",
            description = "Admin client property with --bootstrap, e.g. security.protocol=SSL (repeatable).")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--timeout", defaultValue = "10s", paramLabel = "DURATION", description = "Deadline of each Admin call (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return record(out, err);
        } catch (RecordException e) {
            err.println("error: " + e.getMessage());
            return RunCommand.BAD_CONFIG;
        }
    }

    private int record(PrintWriter out, PrintWriter err) {
        Duration callTimeout = RecordCommands.duration("--timeout", timeout);
        Map<String, Object> admin = adminConfig();
        Set<String> secrets = Secrets.secretValues(admin);
        String where = "Kafka at " + Secrets.maskSecrets(String.valueOf(admin.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)), secrets);
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) callTimeout.toMillis());
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) callTimeout.toMillis());
        admin.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "flinkfleet-trace-record");
        Instant now = Clock.systemUTC().instant();
        try (var quiet = RecordCommands.quietKafkaLogs(); Admin client = createAdmin(admin, where, secrets)) {
            KafkaTopicRates rates = new KafkaTopicRates(client, where, callTimeout, secrets);
            List<String> topics = what.group != null ? rates.topicsOfGroup(what.group) : List.copyOf(new java.util.LinkedHashSet<>(what.topics));
            List<TopicPartition> partitions = rates.partitionsOf(topics);
            String subject = (what.group != null ? "consumer group " + what.group + ": " : "") + (topics.size() == 1 ? "topic " : "topics ")
                    + String.join(", ", topics);
            KafkaTopicRates.Holdings held = rates.holdings(partitions);
            StepGrid grid = rates.grid(subject, held, range.from(StepGrid.floor(now, StepGrid.stepSeconds(range.step()))), range.to(),
                    range.step(), now);
            List<String> provenance = new ArrayList<>();
            provenance.add("recorded by: bin/autoscaler trace record kafka, at " + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            provenance.add("source: " + where);
            provenance.add(subject + " (" + partitions.size() + " partitions)");
            provenance.add("rate: records per second from offsets by CreateTime, sum over partitions of offset(t + step) - offset(t)");
            provenance.add("range: " + grid.start() + " .. " + grid.end() + " (" + grid.rows() + " steps)");
            provenance.add("step: " + Durations.format(grid.step()));
            try (TraceFileWriter file = new TraceFileWriter(range.output, provenance)) {
                Progress progress = new Progress(err, System::nanoTime, grid.rows());
                rates.record(partitions, held, grid, file, progress);
                file.commit();
                progress.done(grid.rows());
            }
            out.println("wrote " + range.output + ": " + grid.rows() + " rows, " + grid.start() + " .. " + grid.end() + ", step "
                    + Durations.format(grid.step()) + ", " + subject + " (" + partitions.size() + " partitions)");
            return 0;
        }
    }

    private Map<String, Object> adminConfig() {
        if ((config == null) == (bootstrap == null)) {
            throw new RecordException("give --bootstrap or --config (a daemon config with flinkfleet.daemon.kafka-clusters), one of them");
        }
        Map<String, Object> admin = new LinkedHashMap<>();
        if (bootstrap != null) {
            if (cluster != null) {
                throw new RecordException("--cluster names a cluster of --config; with --bootstrap leave it out");
            }
            admin.putAll(properties);
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.strip());
            return admin;
        }
        if (!properties.isEmpty()) {
            throw new RecordException("--property goes with --bootstrap; with --config set the cluster's admin { } block");
        }
        Config root = RecordCommands.loadConfig(config);
        DaemonSettings d = DaemonSettings.fromConfig(root);
        Map<String, DaemonSettings.KafkaCluster> clusters = d.kafkaClusters();
        String name = cluster != null ? cluster
                : !d.defaultKafkaCluster().isEmpty() ? d.defaultKafkaCluster()
                : clusters.size() == 1 ? clusters.keySet().iterator().next() : null;
        if (name == null || !clusters.containsKey(name)) {
            throw new RecordException(config + ": " + (name == null ? "name the cluster with --cluster" : "no Kafka cluster '" + name + "'")
                    + "; defined under flinkfleet.daemon.kafka-clusters: " + (clusters.isEmpty() ? "none" : String.join(", ", clusters.keySet())));
        }
        admin.putAll(clusters.get(name).adminConfig());
        return admin;
    }

    private static Admin createAdmin(Map<String, Object> config, String where, Set<String> secrets) {
        try {
            return Admin.create(config);
        } catch (RuntimeException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new RecordException(Secrets.maskSecrets("cannot connect to " + where + ": " + e.getMessage()
                    + (c != e ? " (" + c.getMessage() + ")" : ""), secrets), e);
        }
    }
}

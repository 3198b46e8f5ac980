package dev.flinkfleet.autoscaler.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.slf4j.LoggerFactory;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import dev.flinkfleet.autoscaler.config.DaemonConfigFile;
import dev.flinkfleet.autoscaler.config.Secrets;
import dev.flinkfleet.autoscaler.daemon.Daemon;
import dev.flinkfleet.autoscaler.logging.MaskingEncoder;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.config.PolicyFileException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code run --config FILE [--dry-run] [--log-format plain|json] [--once] [--kubeconfig FILE] [--context NAME]}: the
 * production daemon. Talks to the cluster the environment points at (in a pod: its service account; elsewhere:
 * the kubeconfig context), or to the given kubeconfig file and context. Runs
 * until SIGTERM, then flushes governor state and releases the Lease. Exit 2 before anything starts on a bad
 * config or policy file (every problem listed as {@code file:line: ...}, see {@code config check}) and when no
 * cluster is configured (no kubeconfig, no in-cluster service account).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the autoscaler daemon against a Kubernetes cluster: the current kubeconfig context, the one "
                + "--kubeconfig and --context name, or in-cluster.")
final class RunCommand implements Callable<Integer> {

    /** Exit code of a bad config or policy file, or of no cluster to talk to (as for usage errors). */
    static final int BAD_CONFIG = 2;

    enum LogFormat { plain, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "Daemon config (HOCON) over the built-in defaults, e.g. config/autoscaler.conf.")
    Path config;

    @Option(names = "--dry-run", description = "Decide and log, patch nothing (sets flinkfleet.daemon.dry-run).")
    boolean dryRun;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "plain",
            description = "plain (one line per event) or json (one JSON object per line, for log shippers). Default: ${DEFAULT-VALUE}.")
    LogFormat logFormat;

    @Option(names = "--once", description = "Run a single cycle, print its decisions and exit (no schedule).")
    boolean once;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Kubeconfig file to use instead of $KUBECONFIG, ~/.kube/config or the in-cluster service account.")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context to use instead of the current one.")
    String context;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (logFormat == LogFormat.json) {
            useJsonLogs();
        }
        DaemonConfigFile.Result checked = DaemonConfigFile.load(config, dryRun, true);
        if (!checked.ok()) {
            checked.problems().forEach(p -> err.println("error: " + p));
            return BAD_CONFIG;
        }
        Config root = checked.config();
        MaskingEncoder.rememberSecrets(Secrets.secretValues(root));
        // flinkfleet.kubernetes.enabled = false (Flink REST jobs only) needs no cluster; the client is never called.
        String noCluster = root.getBoolean("flinkfleet.kubernetes.enabled") && kubeconfig == null
                ? Kubeconfig.missing(System.getenv(), System.getProperties(), Kubeconfig.IN_CLUSTER_TOKEN) : null;
        if (noCluster != null) {
            err.println("error: " + noCluster);
            return BAD_CONFIG;
        }
        io.fabric8.kubernetes.client.Config clientConfig;
        try {
            clientConfig = Kubeconfig.clientConfig(kubeconfig, context);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return BAD_CONFIG;
        }

        KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig).build();
        Daemon daemon;
        try {
            daemon = Daemon.create(root, client, Clock.systemUTC());
        } catch (ConfigException e) {
            err.println("error: " + describe(e));
            client.close();
            return BAD_CONFIG;
        } catch (PolicyFileException e) {
            e.errors().forEach(x -> err.println("error: " + x));
            client.close();
            return BAD_CONFIG;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            daemon.close();
            client.close();
            stopped.countDown();
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        daemon.start();
        if (!once) {
            stopped.await();
            return 0;
        }
        try {
            Duration wait = root.getBoolean("flinkfleet.daemon.leader-election.enabled")
                    ? root.getDuration("flinkfleet.daemon.leader-election.lease-duration").multipliedBy(2) : Duration.ZERO;
            long deadline = System.nanoTime() + wait.toNanos();
            while (!daemon.isLeader() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            if (!daemon.isLeader()) {
                err.println("error: another replica holds the Lease; this one ran no cycle");
                return Main.PROBLEMS;
            }
            List<JobOutcome> outcomes = daemon.runCycleNow();
            if (!daemon.informersSynced()) {
                // Nothing was decided: saying "0 jobs" with exit 0 would read as an empty, healthy fleet.
                err.println("error: FlinkDeployments could not be listed from the Kubernetes API (see the log); no cycle ran");
                return Main.PROBLEMS;
            }
            outcomes.forEach(o -> out.println(line(o)));
            out.printf("%d jobs, %d rescaled%n", outcomes.size(), outcomes.stream().filter(JobOutcome::applied).count());
            return outcomes.stream().anyMatch(JobOutcome::failed) ? Main.PROBLEMS : 0;
        } finally {
            Runtime.getRuntime().removeShutdownHook(hook);
            hook.run();
        }
    }

    /** {@code file:line: message} from the exception's origin. */
    static String describe(ConfigException e) {
        String msg = e.getMessage();
        ConfigOrigin o = e.origin();
        if (o == null) {
            return Secrets.maskSecrets(msg);
        }
        String d = o.description();
        if (msg.startsWith(d + ": ")) {
            msg = msg.substring(d.length() + 2);
        }
        String where = o.filename() != null ? o.filename() : o.resource() != null ? o.resource() : d;
        return Secrets.maskSecrets(where + (o.lineNumber() > 0 ? ":" + o.lineNumber() : "") + ": " + msg);
    }

    private static String line(JobOutcome o) {
        StringBuilder sb = new StringBuilder().append(o.plan().job()).append(' ').append(o.plan().application());
        if (o.decision() == null) {
            return sb.append(" held: ").append(Secrets.maskSecrets(String.valueOf(o.error()))).toString();
        }
        sb.append(' ').append(o.decision().currentWorkers()).append("->").append(o.decision().targetWorkers())
                .append(' ').append(o.decision().reason());
        if (o.result() != null) {
            sb.append(' ').append(o.result().outcome());
            if (o.result().detail() != null) {
                sb.append(": ").append(Secrets.maskSecrets(o.result().detail()));
            }
        }
        return sb.toString();
    }

    /** Switches the console appender of logback.xml to one JSON object per line (logback's own JsonEncoder). */
    static void useJsonLogs() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return;
        }
        Appender<ILoggingEvent> a = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
        if (!(a instanceof ConsoleAppender<ILoggingEvent> console)) {
            return;
        }
        JsonEncoder json = new JsonEncoder();
        json.setContext(ctx);
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithFormattedMessage(true);
        json.start();
        MaskingEncoder masking = new MaskingEncoder();
        masking.setContext(ctx);
        masking.setEncoder(json);
        masking.start();
        console.stop();
        console.setEncoder(masking);
        console.start();
    }
}

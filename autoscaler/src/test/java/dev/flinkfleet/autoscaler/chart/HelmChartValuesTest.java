package dev.flinkfleet.autoscaler.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;

import dev.flinkfleet.autoscaler.config.DaemonConfigFile;
import dev.flinkfleet.autoscaler.config.Secrets;
import dev.flinkfleet.autoscaler.daemon.DaemonSettings;
import dev.flinkfleet.autoscaler.prometheus.PrometheusSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

/**
 * Each value the chart gained for production use, rendered with helm-java and read back as the objects a cluster
 * gets; the secret wiring is read further with the daemon's own settings classes.
 */
class HelmChartValuesTest {

    private static final String FULLNAME = ChartFiles.RELEASE + "-flink-autoscaler";
    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    /** A values file and what the rendered objects must show. */
    record Case(String name, String values, Consumer<Rendered> check) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The rendered objects, with the ones most cases look at. */
    record Rendered(List<HasMetadata> objects) {
        Deployment deployment() {
            return objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
        }

        PodSpec pod() {
            return deployment().getSpec().getTemplate().getSpec();
        }

        Container container() {
            return pod().getContainers().get(0);
        }

        Optional<EnvVar> env(String name) {
            return container().getEnv().stream().filter(e -> e.getName().equals(name)).findFirst();
        }

        Optional<NetworkPolicy> networkPolicy() {
            return objects.stream().filter(NetworkPolicy.class::isInstance).map(NetworkPolicy.class::cast).findFirst();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> serviceMonitorEndpoint() {
            GenericKubernetesResource sm = objects.stream().filter(GenericKubernetesResource.class::isInstance)
                    .map(GenericKubernetesResource.class::cast).filter(r -> r.getKind().equals("ServiceMonitor"))
                    .findFirst().orElseThrow();
            Map<String, Object> spec = (Map<String, Object>) sm.getAdditionalProperties().get("spec");
            return ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
        }

        String daemonConfig() {
            return objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                    .filter(c -> c.getMetadata().getName().equals(FULLNAME)).findFirst().orElseThrow()
                    .getData().get("autoscaler.conf");
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("image from the default registry at the appVersion", "",
                        r -> assertEquals("ghcr.io/flinkfleet/flink-autoscaler:0.1.0", r.container().getImage())),
                new Case("image from another registry and tag", "image: {registry: 'registry.example.com:5000', repository: team/fa, tag: '1.2.3'}",
                        r -> assertEquals("registry.example.com:5000/team/fa:1.2.3", r.container().getImage())),
                new Case("image pinned by digest, which wins over the tag",
                        "image: {tag: '9.9.9', digest: '" + DIGEST + "'}",
                        r -> assertEquals("ghcr.io/flinkfleet/flink-autoscaler@" + DIGEST, r.container().getImage())),
                new Case("image without a registry", "image: {registry: '', repository: mirror.local/fa}",
                        r -> assertEquals("mirror.local/fa:0.1.0", r.container().getImage())),
                new Case("revisionHistoryLimit", "revisionHistoryLimit: 3",
                        r -> assertEquals(3, r.deployment().getSpec().getRevisionHistoryLimit())),
                new Case("additionalLabels on every object and the pods, never the selector",
                        "additionalLabels: {team: platform, cost-centre: '42'}\nnetworkPolicy: {enabled: true}", r -> {
                            for (HasMetadata o : r.objects()) {
                                assertEquals("platform", o.getMetadata().getLabels().get("team"), o.getKind() + " " + o.getMetadata().getName());
                                assertEquals("42", o.getMetadata().getLabels().get("cost-centre"));
                            }
                            assertEquals("platform", r.deployment().getSpec().getTemplate().getMetadata().getLabels().get("team"));
                            assertFalse(r.deployment().getSpec().getSelector().getMatchLabels().containsKey("team"));
                        }),
                new Case("logging defaults: INFO as JSON", "", r -> {
                    assertEquals("INFO", r.env("FLINKFLEET_LOG_LEVEL").orElseThrow().getValue());
                    assertEquals(List.of("run", "--config", "/etc/flinkfleet/autoscaler.conf", "--log-format", "json"), r.container().getArgs());
                }),
                new Case("logging at DEBUG, plain", "logging: {level: DEBUG, format: plain}", r -> {
                    assertEquals("DEBUG", r.env("FLINKFLEET_LOG_LEVEL").orElseThrow().getValue());
                    assertEquals(List.of("run", "--config", "/etc/flinkfleet/autoscaler.conf", "--log-format", "plain"), r.container().getArgs());
                }),
                new Case("startup probe on /readyz by default, 10 minutes", "", r -> {
                    var p = r.container().getStartupProbe();
                    assertEquals("/readyz", p.getHttpGet().getPath());
                    assertEquals("http", p.getHttpGet().getPort().getStrVal());
                    assertEquals(600, p.getPeriodSeconds() * p.getFailureThreshold());
                }),
                new Case("startup probe longer for a large fleet", "probes: {startup: {failureThreshold: 180}}",
                        r -> assertEquals(180, r.container().getStartupProbe().getFailureThreshold())),
                new Case("startup probe off", "probes: {startup: {enabled: false}}",
                        r -> assertNull(r.container().getStartupProbe())),
                new Case("envFrom, extraVolumes and extraVolumeMounts pass through", """
                        envFrom: [{secretRef: {name: prom-basic-auth}, prefix: PROM_}]
                        extraVolumes: [{name: kafka-tls, secret: {secretName: kafka-client-tls}}]
                        extraVolumeMounts: [{name: kafka-tls, mountPath: /var/run/secrets/flinkfleet/kafka-tls, readOnly: true}]
                        """, r -> {
                    assertEquals("prom-basic-auth", r.container().getEnvFrom().get(0).getSecretRef().getName());
                    assertEquals("PROM_", r.container().getEnvFrom().get(0).getPrefix());
                    assertEquals("kafka-client-tls", volume(r, "kafka-tls").getSecret().getSecretName());
                    VolumeMount m = mount(r, "/var/run/secrets/flinkfleet/kafka-tls");
                    assertEquals("kafka-tls", m.getName());
                    assertTrue(m.getReadOnly());
                    // The chart's own volumes stay.
                    assertNotNull(mount(r, "/etc/flinkfleet/autoscaler.conf"));
                    assertNotNull(mount(r, "/etc/flinkfleet/policies"));
                    assertNotNull(mount(r, "/tmp"));
                }),
                new Case("no secrets by default: no token mount, no secret env", "", r -> {
                    assertTrue(r.pod().getVolumes().stream().allMatch(v -> v.getSecret() == null), r.pod().getVolumes().toString());
                    assertTrue(r.container().getEnv().stream().allMatch(e -> e.getValueFrom() == null || e.getValueFrom().getSecretKeyRef() == null));
                    assertTrue(r.container().getEnvFrom() == null || r.container().getEnvFrom().isEmpty());
                    assertFalse(r.daemonConfig().contains("bearer-token-file"));
                }),
                new Case("Prometheus bearer token from a Secret", "prometheusAuth: {bearerTokenSecret: {name: prom-reader, key: sa-token}}", r -> {
                    Volume v = volume(r, "prometheus-bearer-token");
                    assertEquals("prom-reader", v.getSecret().getSecretName());
                    assertEquals("sa-token", v.getSecret().getItems().get(0).getKey());
                    assertEquals("token", v.getSecret().getItems().get(0).getPath());
                    VolumeMount m = mount(r, "/var/run/secrets/flinkfleet/prometheus");
                    assertEquals("prometheus-bearer-token", m.getName());
                    assertTrue(m.getReadOnly());
                    // The daemon reads the mounted file on every query.
                    PrometheusSettings prometheus = PrometheusSettings.fromConfig(resolved(r, Map.of()));
                    assertEquals(Optional.of(Path.of("/var/run/secrets/flinkfleet/prometheus/token")), prometheus.client().bearerTokenFile());
                }),
                new Case("Kafka property from a Secret: an env var, never the ConfigMap", """
                        config: |
                          flinkfleet.daemon.kafka-clusters.main {
                            bootstrap-servers = "kafka:9093"
                            admin { "security.protocol" = "SASL_SSL", "sasl.mechanism" = "PLAIN" }
                          }
                        kafkaSecretProperties:
                          - {cluster: main, property: sasl.jaas.config, secretName: kafka-user, secretKey: jaas}
                          - {cluster: main, property: ssl.key.password, secretName: kafka-tls, secretKey: key-password}
                        """, r -> {
                    EnvVar jaas = r.env("FLINKFLEET_KAFKA_SECRET_0").orElseThrow();
                    assertEquals("kafka-user", jaas.getValueFrom().getSecretKeyRef().getName());
                    assertEquals("jaas", jaas.getValueFrom().getSecretKeyRef().getKey());
                    assertNull(jaas.getValue());
                    EnvVar keyPassword = r.env("FLINKFLEET_KAFKA_SECRET_1").orElseThrow();
                    assertEquals("kafka-tls", keyPassword.getValueFrom().getSecretKeyRef().getName());
                    // The daemon reads each into the cluster's Admin properties, beside those of `config`.
                    String line = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"fa\" password=\"s3cr3t-pw\";";
                    DaemonSettings.KafkaCluster main = DaemonSettings.fromConfig(resolved(r,
                            Map.of("FLINKFLEET_KAFKA_SECRET_0", line, "FLINKFLEET_KAFKA_SECRET_1", "k3y-pw"))).kafkaClusters().get("main");
                    assertEquals(line, main.adminConfig().get("sasl.jaas.config"));
                    assertEquals("k3y-pw", main.adminConfig().get("ssl.key.password"));
                    assertEquals("SASL_SSL", main.adminConfig().get("security.protocol"));
                    assertEquals("kafka:9093", main.adminConfig().get("bootstrap.servers"));
                }),
                new Case("NetworkPolicy off by default", "", r -> assertTrue(r.networkPolicy().isEmpty())),
                new Case("NetworkPolicy: HTTP in; DNS, API server, Kafka and Prometheus out", "networkPolicy: {enabled: true}", r -> {
                    NetworkPolicy np = r.networkPolicy().orElseThrow();
                    assertEquals(r.deployment().getSpec().getSelector().getMatchLabels(), np.getSpec().getPodSelector().getMatchLabels());
                    assertEquals(List.of("Ingress", "Egress"), np.getSpec().getPolicyTypes());
                    assertEquals(1, np.getSpec().getIngress().size());
                    assertEquals(List.of("http/TCP"), ports(np.getSpec().getIngress().get(0).getPorts()));
                    assertTrue(np.getSpec().getIngress().get(0).getFrom().isEmpty(), "no peers given: any source");
                    List<NetworkPolicyEgressRule> egress = np.getSpec().getEgress();
                    assertEquals(List.of(List.of("53/UDP", "53/TCP"), List.of("443/TCP", "6443/TCP"), List.of("9092/TCP", "9093/TCP"),
                            List.of("9090/TCP")), egress.stream().map(e -> ports(e.getPorts())).toList());
                    assertEquals("kube-dns", egress.get(0).getTo().get(0).getPodSelector().getMatchLabels().get("k8s-app"));
                    // A rule without peers allows its ports to any address; every rule names ports.
                    assertTrue(egress.subList(1, 4).stream().allMatch(e -> e.getTo().isEmpty()));
                }),
                new Case("NetworkPolicy narrowed to peers, CIDRs and an extra rule", """
                        networkPolicy:
                          enabled: true
                          ingress: {from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]}
                          egress:
                            dns: {enabled: false}
                            kubernetesApi: {cidrs: [10.0.0.1/32], ports: [6443]}
                            kafka: {to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kafka}}}], ports: [9093]}
                            prometheus: {to: [{podSelector: {matchLabels: {app.kubernetes.io/name: prometheus}}}]}
                            extra: [{to: [{ipBlock: {cidr: 10.1.0.0/16}}], ports: [{port: 8081, protocol: TCP}]}]
                        """, r -> {
                    NetworkPolicy np = r.networkPolicy().orElseThrow();
                    assertEquals("monitoring", np.getSpec().getIngress().get(0).getFrom().get(0).getNamespaceSelector().getMatchLabels()
                            .get("kubernetes.io/metadata.name"));
                    List<NetworkPolicyEgressRule> egress = np.getSpec().getEgress();
                    assertEquals(List.of(List.of("6443/TCP"), List.of("9093/TCP"), List.of("9090/TCP"), List.of("8081/TCP")),
                            egress.stream().map(e -> ports(e.getPorts())).toList());
                    assertEquals("10.0.0.1/32", egress.get(0).getTo().get(0).getIpBlock().getCidr());
                    assertEquals("kafka", egress.get(1).getTo().get(0).getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"));
                    assertEquals("prometheus", egress.get(2).getTo().get(0).getPodSelector().getMatchLabels().get("app.kubernetes.io/name"));
                    assertEquals("10.1.0.0/16", egress.get(3).getTo().get(0).getIpBlock().getCidr());
                }),
                new Case("ServiceMonitor defaults: http, nothing relabelled", "metrics: {serviceMonitor: {enabled: true}}", r -> {
                    Map<String, Object> ep = r.serviceMonitorEndpoint();
                    assertEquals("http", ep.get("scheme"));
                    assertFalse(ep.containsKey("relabelings") || ep.containsKey("metricRelabelings") || ep.containsKey("tlsConfig")
                            || ep.containsKey("honorLabels"), ep.toString());
                }),
                new Case("ServiceMonitor relabelings, metricRelabelings and TLS", """
                        metrics:
                          serviceMonitor:
                            enabled: true
                            scheme: https
                            tlsConfig: {serverName: flink-autoscaler, ca: {secret: {name: mesh-ca, key: ca.crt}}}
                            relabelings: [{targetLabel: cluster, replacement: eu-1}]
                            metricRelabelings: [{sourceLabels: [__name__], regex: 'jvm_.*', action: drop}]
                        """, r -> {
                    Map<String, Object> ep = r.serviceMonitorEndpoint();
                    assertEquals("https", ep.get("scheme"));
                    assertEquals(Map.of("serverName", "flink-autoscaler", "ca", Map.of("secret", Map.of("name", "mesh-ca", "key", "ca.crt"))),
                            ep.get("tlsConfig"));
                    assertEquals(List.of(Map.of("targetLabel", "cluster", "replacement", "eu-1")), ep.get("relabelings"));
                    assertEquals(List.of(Map.of("sourceLabels", List.of("__name__"), "regex", "jvm_.*", "action", "drop")),
                            ep.get("metricRelabelings"));
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersTheValue(Case c) {
        c.check().accept(new Rendered(ChartFiles.parse(ChartFiles.render(Map.of(), c.values()))));
    }

    record LogLevelCase(String values, Level root) {
    }

    static Stream<LogLevelCase> logLevels() {
        return Stream.of(new LogLevelCase("", Level.INFO), new LogLevelCase("logging: {level: DEBUG}", Level.DEBUG),
                new LogLevelCase("logging: {level: WARN}", Level.WARN), new LogLevelCase("logging: {level: TRACE}", Level.TRACE));
    }

    /** logging.level reaches the daemon's logback.xml (as FLINKFLEET_LOG_LEVEL) and sets its root logger only. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("logLevels")
    void logLevelSetsTheRootLoggerOfTheDaemonsLogbackConfig(LogLevelCase c) throws JoranException {
        Rendered r = new Rendered(ChartFiles.parse(ChartFiles.render(Map.of(), c.values())));
        LoggerContext ctx = new LoggerContext();
        // Logback looks a variable up in the context before the environment; the pod has it in its environment.
        ctx.putProperty("FLINKFLEET_LOG_LEVEL", r.env("FLINKFLEET_LOG_LEVEL").orElseThrow().getValue());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(ctx);
        configurator.doConfigure(HelmChartValuesTest.class.getResource("/logback.xml"));
        try {
            assertEquals(c.root(), ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel());
            assertEquals(Level.WARN, ctx.getLogger("org.apache.kafka").getLevel(), "libraries keep their own level");
        } finally {
            ctx.stop();
        }
    }

    /**
     * The documented SASL_SSL example (examples/kafka-sasl-ssl.yaml) as the daemon sees it: the JAAS line and the
     * token file arrive where its settings read them, the file passes the daemon's strict config check, and no
     * credential is in the ConfigMap.
     */
    @Test
    void saslSslExampleWiresEveryCredentialFromSecrets() throws IOException {
        String example = Files.readString(ChartFiles.chartDir().resolve("examples/kafka-sasl-ssl.yaml"));
        Rendered r = new Rendered(ChartFiles.parse(ChartFiles.render(Map.of(), example)));
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"fa\" password=\"Xk9-secret\";";
        Config root = resolved(r, Map.of("FLINKFLEET_KAFKA_SECRET_0", jaas));

        DaemonSettings daemon = DaemonSettings.fromConfig(root);
        assertEquals("events", daemon.defaultKafkaCluster());
        Map<String, Object> admin = daemon.kafkaClusters().get("events").adminConfig();
        assertEquals(jaas, admin.get("sasl.jaas.config"));
        assertEquals("SASL_SSL", admin.get("security.protocol"));
        assertEquals("/var/run/secrets/flinkfleet/kafka-ca/ca.crt", admin.get("ssl.truststore.location"));
        assertEquals("events-cluster-ca-cert", volume(r, mount(r, "/var/run/secrets/flinkfleet/kafka-ca").getName()).getSecret().getSecretName());
        assertEquals(Optional.of(Path.of("/var/run/secrets/flinkfleet/prometheus/token")),
                PrometheusSettings.fromConfig(root).client().bearerTokenFile());
        assertEquals("prometheus-reader", volume(r, "prometheus-bearer-token").getSecret().getSecretName());
        assertEquals("flinkfleet-autoscaler", r.env("FLINKFLEET_KAFKA_SECRET_0").orElseThrow().getValueFrom().getSecretKeyRef().getName());
        // The daemon's masker knows the JAAS line and its password, so neither reaches a log line or an error.
        assertTrue(Secrets.secretValues(root).containsAll(List.of(jaas, "Xk9-secret")), "masked: " + Secrets.secretValues(root).size());
        assertEquals("sasl.jaas.config=" + Secrets.MASK, Secrets.maskSecrets("sasl.jaas.config=" + jaas, Secrets.secretValues(root)));

        // What `run` checks at start, with the environment the pod gets.
        Path file = Files.createTempFile("chart-sasl", ".conf");
        try {
            Config user = userConfig(r, Map.of("FLINKFLEET_KAFKA_SECRET_0", jaas));
            Files.writeString(file, user.root().render(ConfigRenderOptions.concise().setFormatted(true)));
            assertEquals(List.of(), DaemonConfigFile.load(file, false, false).problems());
        } finally {
            Files.delete(file);
        }
        assertFalse(r.daemonConfig().contains("password"), r.daemonConfig());
    }

    /** autoscaler.conf over every reference.conf, resolved with {@code env} as the pod's environment. */
    private static Config resolved(Rendered r, Map<String, String> env) {
        return userConfig(r, env).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    /**
     * autoscaler.conf alone, its {@code ${VAR}}s replaced from {@code env} (a substitution is looked up in the
     * config before the process environment, so the variables are put beside it and taken out again).
     */
    private static Config userConfig(Rendered r, Map<String, String> env) {
        Config withEnv = ConfigFactory.parseString(r.daemonConfig()).withFallback(ConfigFactory.parseMap(env)).resolve();
        for (String name : env.keySet()) {
            withEnv = withEnv.withoutPath(name);
        }
        return withEnv;
    }

    private static Volume volume(Rendered r, String name) {
        return r.pod().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static VolumeMount mount(Rendered r, String path) {
        return r.container().getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
    }

    private static List<String> ports(List<NetworkPolicyPort> ports) {
        return ports.stream().map(p -> (p.getPort().getStrVal() != null ? p.getPort().getStrVal() : String.valueOf(p.getPort().getIntVal()))
                + "/" + p.getProtocol()).toList();
    }
}

package dev.flinkfleet.autoscaler.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.policies.PolicyRegistry;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;

/** Renders the chart with helm-java (lint and template, offline) and checks the objects a cluster would get. */
class HelmChartTest {

    private static final String FULLNAME = ChartFiles.RELEASE + "-flink-autoscaler";

    /** The complete permission set: (apiGroup/resource) -> verbs. Anything more is a least-privilege regression. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "flink.apache.org/flinkdeployments", Set.of("get", "list", "watch", "patch"),
            "flink.apache.org/flinkdeployments/scale", Set.of("patch"),
            "/events", Set.of("create", "patch"),
            "coordination.k8s.io/leases", Set.of("get", "list", "create", "update"));

    record Variant(String name, Map<String, Object> sets, String values, boolean clusterWide, List<String> watched) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Variant> variants() {
        return Stream.of(
                new Variant("defaults (namespaced, one namespace)", Map.of(), "", false, List.of("security-pipelines")),
                new Variant("namespaced, two namespaces", Map.of(), "rbac: {watchNamespaces: [team-a, team-b]}", false,
                        List.of("team-a", "team-b")),
                new Variant("cluster-wide, every namespace", Map.of("rbac.mode", "cluster"), "rbac: {watchNamespaces: []}",
                        true, List.of()),
                new Variant("cluster-wide, listed namespaces with monitoring",
                        Map.of("rbac.mode", "cluster", "metrics.serviceMonitor.enabled", true,
                                "metrics.prometheusRule.enabled", true), "", true, List.of("security-pipelines")));
    }

    @Test
    void strictLintPasses() {
        LintResult lint = new Helm(ChartFiles.chartDir()).lint().strict().call();
        assertFalse(lint.isFailed(), () -> "helm lint --strict: " + lint.getMessages());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void rbacGrantsExactlyTheLeastPrivilegeRules(Variant v) {
        List<HasMetadata> objects = ChartFiles.parse(ChartFiles.render(v.sets(), v.values()));
        List<PolicyRule> rules = new ArrayList<>();
        // The one named-object rule: get on the Flink operator's ConfigMap, in its namespace, and nothing else there.
        Role operatorConfig = operatorConfigRole(objects);
        assertEquals("default", operatorConfig.getMetadata().getNamespace());
        assertEquals(1, operatorConfig.getRules().size());
        PolicyRule cm = operatorConfig.getRules().get(0);
        assertEquals(List.of(""), cm.getApiGroups());
        assertEquals(List.of("configmaps"), cm.getResources());
        assertEquals(List.of("flink-operator-config"), cm.getResourceNames());
        assertEquals(List.of("get"), cm.getVerbs());
        objects.stream().filter(Role.class::isInstance).map(Role.class::cast).filter(r -> r != operatorConfig)
                .forEach(r -> rules.addAll(r.getRules()));
        objects.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast)
                .forEach(r -> rules.addAll(r.getRules()));

        Map<String, Set<String>> granted = new TreeMap<>();
        for (PolicyRule rule : rules) {
            assertTrue(rule.getNonResourceURLs() == null || rule.getNonResourceURLs().isEmpty(), "non-resource URLs: " + rule);
            assertTrue(rule.getResourceNames() == null || rule.getResourceNames().isEmpty(), "resourceNames unexpected: " + rule);
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    assertFalse(group.contains("*") || resource.contains("*") || rule.getVerbs().contains("*"),
                            "wildcard in " + rule);
                    assertFalse(Set.of("secrets", "pods", "flinkdeployments/status", "configmaps").contains(resource),
                            "must not touch " + resource);
                    granted.computeIfAbsent(group + "/" + resource, k -> new TreeSet<>()).addAll(rule.getVerbs());
                }
            }
        }
        assertEquals(new TreeMap<>(ALLOWED), granted);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void rbacObjectsFollowTheMode(Variant v) {
        List<HasMetadata> objects = ChartFiles.parse(ChartFiles.render(v.sets(), v.values()));
        List<Role> roles = ofKind(objects, Role.class);
        List<RoleBinding> bindings = ofKind(objects, RoleBinding.class);
        List<ClusterRole> clusterRoles = ofKind(objects, ClusterRole.class);
        List<ClusterRoleBinding> clusterBindings = ofKind(objects, ClusterRoleBinding.class);

        // The Lease Role is always in the release namespace and grants nothing but leases.
        Role lease = roles.stream().filter(r -> r.getMetadata().getName().equals(FULLNAME + "-leader-election"))
                .findFirst().orElseThrow();
        assertEquals(ChartFiles.NAMESPACE, lease.getMetadata().getNamespace());
        assertEquals(Set.of("leases"), lease.getRules().stream().flatMap(r -> r.getResources().stream()).collect(Collectors.toSet()));

        Role operatorConfig = operatorConfigRole(objects);
        List<Role> workloadRoles = roles.stream().filter(r -> r != lease && r != operatorConfig).toList();
        if (v.clusterWide()) {
            assertEquals(List.of(), workloadRoles);
            assertEquals(1, clusterRoles.size());
            assertEquals(1, clusterBindings.size());
            assertEquals(FULLNAME, clusterBindings.get(0).getRoleRef().getName());
            assertEquals("ClusterRole", clusterBindings.get(0).getRoleRef().getKind());
            assertBoundToServiceAccount(clusterBindings.get(0).getSubjects());
        } else {
            assertEquals(List.of(), clusterRoles);
            assertEquals(List.of(), clusterBindings);
            assertEquals(v.watched(), workloadRoles.stream().map(r -> r.getMetadata().getNamespace()).sorted().toList());
        }
        // Every RoleBinding points at a Role rendered in its own namespace, for the chart's ServiceAccount.
        assertEquals(roles.size(), bindings.size());
        for (RoleBinding b : bindings) {
            assertTrue(roles.stream().anyMatch(r -> r.getMetadata().getName().equals(b.getRoleRef().getName())
                    && r.getMetadata().getNamespace().equals(b.getMetadata().getNamespace())), "dangling " + b.getMetadata());
            assertBoundToServiceAccount(b.getSubjects());
        }
        ServiceAccount sa = ofKind(objects, ServiceAccount.class).get(0);
        assertEquals(FULLNAME, sa.getMetadata().getName());
        assertEquals(FULLNAME, deployment(objects).getSpec().getTemplate().getSpec().getServiceAccountName());
    }

    private static Role operatorConfigRole(List<HasMetadata> objects) {
        return ofKind(objects, Role.class).stream().filter(r -> r.getMetadata().getName().equals(FULLNAME + "-operator-config"))
                .findFirst().orElseThrow(() -> new AssertionError("no Role for the Flink operator's ConfigMap"));
    }

    @Test
    void operatorConfigNamesTheConfigMapTheDaemonReadsAndAnEmptyNameReadsNothing() {
        List<HasMetadata> objects = ChartFiles.parse(ChartFiles.render(
                Map.of("operatorConfig.namespace", "flink-operator", "operatorConfig.name", "my-operator-config"), ""));
        Config conf = ConfigFactory.parseString(configMap(objects).getData().get("autoscaler.conf")).resolve();
        assertEquals("flink-operator", conf.getString("flinkfleet.kubernetes.operator-config.namespace"));
        assertEquals("my-operator-config", conf.getString("flinkfleet.kubernetes.operator-config.name"));
        Role role = operatorConfigRole(objects);
        assertEquals("flink-operator", role.getMetadata().getNamespace());
        assertEquals(List.of("my-operator-config"), role.getRules().get(0).getResourceNames());

        List<HasMetadata> off = ChartFiles.parse(ChartFiles.render(Map.of(), "operatorConfig: {name: \"\"}"));
        assertEquals("", ConfigFactory.parseString(configMap(off).getData().get("autoscaler.conf")).resolve()
                .getString("flinkfleet.kubernetes.operator-config.name"));
        assertTrue(ofKind(off, Role.class).stream().noneMatch(r -> r.getMetadata().getName().endsWith("-operator-config")));
        assertTrue(ofKind(off, RoleBinding.class).stream().noneMatch(r -> r.getMetadata().getName().endsWith("-operator-config")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void daemonConfigNamesTheWatchedNamespacesAndTheLease(Variant v) {
        List<HasMetadata> objects = ChartFiles.parse(ChartFiles.render(v.sets(), v.values()));
        Config conf = ConfigFactory.parseString(configMap(objects).getData().get("autoscaler.conf")).resolve();
        assertEquals(v.watched(), conf.getStringList("flinkfleet.kubernetes.namespaces"));
        assertEquals("/etc/flinkfleet/policies", conf.getString("flinkfleet.daemon.policies-dir"));
        assertEquals(FULLNAME, conf.getString("flinkfleet.daemon.leader-election.lease-name"));
        assertEquals(ChartFiles.NAMESPACE, conf.getString("flinkfleet.daemon.leader-election.lease-namespace"));
        assertEquals(8080, conf.getInt("flinkfleet.daemon.http.port"));
        // The values' `config` text comes after the generated block, so it is there and wins.
        assertEquals("http://prometheus-operated.monitoring.svc:9090", conf.getString("flinkfleet.prometheus.url"));

        // Every key the chart writes is a declared key (a typo would be silently ignored by the daemon). The
        // daemon block (policy dir, Lease, port) is not declared in a reference.conf yet; it is checked as soon
        // as it is.
        Config reference = ConfigFactory.defaultReference();
        boolean daemonDeclared = reference.hasPath("flinkfleet.daemon");
        for (String key : conf.entrySet().stream().map(Map.Entry::getKey).sorted().toList()) {
            if (daemonDeclared || !key.startsWith("flinkfleet.daemon.")) {
                assertTrue(reference.hasPath(key), "autoscaler.conf sets undeclared key " + key);
            }
        }
        // And it passes the daemon's own strict check (`config check`), as `run` will demand.
        try {
            Path file = Files.createTempFile("chart-autoscaler", ".conf");
            Files.writeString(file, configMap(objects).getData().get("autoscaler.conf"));
            assertEquals(List.of(), dev.flinkfleet.autoscaler.config.DaemonConfigFile.load(file, false, false).problems());
            Files.delete(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    record ShardCase(String values, int replicas, int shards, int maxPerReplica) {
    }

    static Stream<ShardCase> shardCases() {
        return Stream.of(
                new ShardCase("", 2, 1, 0),                                                      // today: one Lease, no cap
                new ShardCase("replicaCount: 3\nleaderElection: {shards: 6}", 3, 6, 3),         // ceil(6 / 2)
                new ShardCase("replicaCount: 4\nleaderElection: {shards: 8}", 4, 8, 3),         // ceil(8 / 3)
                new ShardCase("replicaCount: 1\nleaderElection: {shards: 4}", 1, 4, 0),         // one replica holds all
                new ShardCase("replicaCount: 3\nleaderElection: {shards: 6, maxShardsPerReplica: 2}", 3, 6, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shardCases")
    void shardsAndTheirCapReachTheDaemon(ShardCase c) {
        List<HasMetadata> objects = ChartFiles.parse(ChartFiles.render(Map.of(), c.values()));
        Config conf = ConfigFactory.parseString(configMap(objects).getData().get("autoscaler.conf")).resolve();
        assertEquals(c.shards(), conf.getInt("flinkfleet.daemon.leader-election.shards"));
        assertEquals(c.maxPerReplica(), conf.getInt("flinkfleet.daemon.leader-election.max-shards-per-replica"));
        assertEquals(c.replicas(), deployment(objects).getSpec().getReplicas());
    }

    @Test
    void deploymentRunsTheDaemonHardened() {
        Deployment d = deployment(ChartFiles.parse(ChartFiles.render(Map.of())));
        assertEquals(2, d.getSpec().getReplicas());
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertEquals(true, pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(10001L, pod.getSecurityContext().getRunAsUser());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertEquals(1, pod.getContainers().size());
        Container c = pod.getContainers().get(0);
        assertEquals(List.of("run", "--config", "/etc/flinkfleet/autoscaler.conf", "--log-format", "json"), c.getArgs());

        SecurityContext sc = c.getSecurityContext();
        assertEquals(true, sc.getRunAsNonRoot());
        assertEquals(10001L, sc.getRunAsUser());
        assertEquals(true, sc.getReadOnlyRootFilesystem());
        assertEquals(false, sc.getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
        assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty());
        assertEquals("RuntimeDefault", sc.getSeccompProfile().getType());

        assertEquals("/healthz", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals("http", c.getLivenessProbe().getHttpGet().getPort().getStrVal());
        assertEquals("/readyz", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals("http", c.getReadinessProbe().getHttpGet().getPort().getStrVal());
        assertEquals(8080, c.getPorts().get(0).getContainerPort());
        assertEquals("http", c.getPorts().get(0).getName());
        assertNotNull(c.getResources().getLimits().get("memory"), "a memory limit sizes the heap");
        String jto = c.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).findFirst().orElseThrow().getValue();
        assertTrue(jto.contains("-XX:MaxRAMPercentage="), jto);

        Map<String, VolumeMount> mounts = c.getVolumeMounts().stream().collect(Collectors.toMap(VolumeMount::getMountPath, m -> m));
        assertEquals(Set.of("/etc/flinkfleet/autoscaler.conf", "/etc/flinkfleet/policies", "/tmp"), mounts.keySet());
        assertEquals(true, mounts.get("/etc/flinkfleet/autoscaler.conf").getReadOnly());
        assertEquals(true, mounts.get("/etc/flinkfleet/policies").getReadOnly());
        Map<String, Volume> volumes = pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, x -> x));
        assertNotNull(volumes.get(mounts.get("/tmp").getName()).getEmptyDir(), "/tmp is an emptyDir");
        Volume config = volumes.get(mounts.get("/etc/flinkfleet/autoscaler.conf").getName());
        assertEquals(FULLNAME, config.getConfigMap().getName());
        assertEquals("autoscaler.conf", mounts.get("/etc/flinkfleet/autoscaler.conf").getSubPath());
        assertTrue(d.getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config").matches("[0-9a-f]{64}"));
    }

    @Test
    void configMapHoldsTheConfigAndThePoliciesConfigMapOneFilePerPolicyMountedWhole() {
        List<HasMetadata> objects = ChartFiles.parse(ChartFiles.render(Map.of()));
        assertEquals(Set.of("autoscaler.conf"), configMap(objects).getData().keySet());
        ConfigMap cm = ofKind(objects, ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(FULLNAME + "-policies"))
                .findFirst().orElseThrow();
        assertEquals(Set.of("firewall-logs-to-warehouse.conf", "siem-forwarding.conf"), cm.getData().keySet());
        // Whole, without items: a policy file added or removed reaches the pods without a change to the Deployment.
        Volume policies = deployment(objects).getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("policies")).findFirst().orElseThrow();
        assertEquals(FULLNAME + "-policies", policies.getConfigMap().getName());
        assertTrue(policies.getConfigMap().getItems() == null || policies.getConfigMap().getItems().isEmpty());

        // The shipped example policies are valid HOCON naming built-in policies.
        PolicyRegistry registry = PolicyRegistry.builtIn();
        Map<String, String> policyOf = new TreeMap<>();
        for (String file : List.of("firewall-logs-to-warehouse.conf", "siem-forwarding.conf")) {
            Config app = ConfigFactory.parseString(cm.getData().get(file)).getConfig("application");
            assertEquals(file.replace(".conf", ""), app.getString("name"));
            assertTrue(registry.contains(app.getString("policy")), file + ": unknown policy " + app.getString("policy"));
            assertTrue(app.getInt("governor.min-workers") <= app.getInt("governor.max-workers"), file);
            assertFalse(app.getStringList("select.namespaces").isEmpty(), file);
            policyOf.put(app.getString("name"), app.getString("policy"));
        }
        assertEquals(Map.of("firewall-logs-to-warehouse", "backlog-drain", "siem-forwarding", "target-utilization"), policyOf);
    }

    @Test
    void onlyADaemonConfigChangeChangesTheChecksumSoPodsRoll() {
        String before = checksum(Map.of());
        assertNotEquals(before, checksum(Map.of("config", "flinkfleet.prometheus.url = \"http://other:9090\"")));
        assertNotEquals(before, checksum(Map.of("leaderElection.shards", 2)), "a generated config key rolls the pods too");
        // The daemon reloads its policy files; restarting both pods for a policy edit would defeat that.
        assertEquals(before, checksum(Map.of("policies.siem-forwarding\\.conf", "application { name = \"siem-forwarding\", sla-latency = 1m }")),
                "a policy edit must not roll the pods");
        // Nor may a new policy file: the whole pod template stays the same.
        Deployment plain = deployment(ChartFiles.parse(ChartFiles.render(Map.of())));
        Deployment added = deployment(ChartFiles.parse(ChartFiles.render(Map.of("policies.new-app\\.conf", "application { name = \"new-app\" }"))));
        assertEquals(plain.getSpec().getTemplate(), added.getSpec().getTemplate(), "a new policy file must not change the pods");
        assertEquals(before, checksum(Map.of("replicaCount", 3)), "a non-config value must not roll the pods");
    }

    @Test
    void serviceDisruptionBudgetAndDashboard() {
        List<HasMetadata> objects = ChartFiles.parse(ChartFiles.render(Map.of()));
        Service svc = ofKind(objects, Service.class).get(0);
        assertEquals(8080, svc.getSpec().getPorts().get(0).getPort());
        assertEquals("http", svc.getSpec().getPorts().get(0).getName());
        assertEquals(deployment(objects).getSpec().getSelector().getMatchLabels(), svc.getSpec().getSelector());
        PodDisruptionBudget pdb = ofKind(objects, PodDisruptionBudget.class).get(0);
        assertEquals(1, pdb.getSpec().getMinAvailable().getIntVal());
        // Monitoring CRs are off by default: a cluster without the Prometheus Operator can install the chart.
        assertEquals(List.of(), ofKind(objects, GenericKubernetesResource.class));

        ConfigMap dash = ofKind(objects, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals(FULLNAME + "-dashboard")).findFirst().orElseThrow();
        assertEquals("1", dash.getMetadata().getLabels().get("grafana_dashboard"));
        JsonNode json = readJson(dash.getData().get("flink-autoscaler.json"));
        List<String> variables = new ArrayList<>();
        json.path("templating").path("list").forEach(n -> variables.add(n.path("name").asText()));
        assertTrue(variables.containsAll(List.of("application", "flink_job")), variables.toString());
        assertTrue(json.path("panels").size() >= 8);
        assertFalse(ChartFiles.render(Map.of("grafanaDashboard.enabled", false)).contains("grafana_dashboard"));
    }

    @Test
    void prometheusRuleEmbedsTheTestedAlertFileWithOnlyForOverridden() throws IOException {
        Map<String, Object> sets = Map.of("metrics.prometheusRule.enabled", true,
                "metrics.prometheusRule.forOverrides.FlinkJobLatencyAboveSLA", "10m");
        GenericKubernetesResource rule = ofKind(ChartFiles.parse(ChartFiles.render(sets)), GenericKubernetesResource.class)
                .stream().filter(r -> r.getKind().equals("PrometheusRule")).findFirst().orElseThrow();
        assertEquals("monitoring.coreos.com/v1", rule.getApiVersion());

        Map<String, Object> file = ChartFiles.yamlMap(Files.readString(ChartFiles.chartDir().resolve("files/alerts.yaml")));
        List<Map<String, Object>> expected = groups(file);
        for (Map<String, Object> g : expected) {
            for (Map<String, Object> r : rules(g)) {
                if ("FlinkJobLatencyAboveSLA".equals(r.get("alert"))) {
                    r.put("for", "10m");
                }
            }
        }
        assertEquals(expected, groups(rule.getAdditionalProperties().get("spec")));
    }

    @Test
    void serviceMonitorScrapesMetricsWithoutHonoringTheirLabels() {
        GenericKubernetesResource sm = ofKind(ChartFiles.parse(ChartFiles.render(Map.of("metrics.serviceMonitor.enabled", true))),
                GenericKubernetesResource.class).stream().filter(r -> r.getKind().equals("ServiceMonitor")).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) sm.getAdditionalProperties().get("spec");
        @SuppressWarnings("unchecked")
        Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
        assertEquals("http", endpoint.get("port"));
        assertEquals("/metrics", endpoint.get("path"));
        // The per-job label is flink_job, so the target's own job/namespace labels need not yield to the series'.
        assertFalse(endpoint.containsKey("honorLabels"), endpoint.toString());
        assertEquals("app.kubernetes.io/name", spec.get("jobLabel"));
    }

    record BadValues(String name, Map<String, Object> sets, String values, String mentioned) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadValues> badValues() {
        return Stream.of(
                new BadValues("replicas as a word", Map.of("replicaCount", "two"), "", "replicaCount"),
                new BadValues("zero replicas", Map.of("replicaCount", 0), "", "replicaCount"),
                new BadValues("unknown RBAC mode", Map.of("rbac.mode", "global"), "", "mode"),
                new BadValues("namespaced mode without namespaces", Map.of(), "rbac: {watchNamespaces: []}", "watchNamespaces"),
                new BadValues("namespace not a DNS label", Map.of(), "rbac: {watchNamespaces: [Team_A]}", "watchNamespaces"),
                new BadValues("misspelt top-level key", Map.of("replicas", 2), "", "replicas"),
                new BadValues("policy file not ending in .conf", Map.of("policies.siem\\.yaml", "application {}"), "", "policies"),
                new BadValues("policy file shadowing the daemon config",
                        Map.of("policies.autoscaler\\.conf", "application {}"), "", "policies"),
                new BadValues("port out of range", Map.of("service.port", 70000), "", "port"),
                new BadValues("override of an alert whose text states its duration",
                        Map.of("metrics.prometheusRule.forOverrides.FlinkAutoscalerDown", "1m"), "", "forOverrides"),
                new BadValues("duration without unit",
                        Map.of(), "metrics: {prometheusRule: {forOverrides: {FlinkJobLatencyAboveSLA: '10'}}}",
                        "FlinkJobLatencyAboveSLA"),
                new BadValues("unknown log level", Map.of("logging.level", "VERBOSE"), "", "level"),
                new BadValues("unknown log format", Map.of("logging.format", "logfmt"), "", "format"),
                new BadValues("digest that is a tag", Map.of("image.digest", "latest"), "", "digest"),
                new BadValues("tag with the digest in it", Map.of("image.tag", "1.0@sha256:abc"), "", "tag"),
                new BadValues("Kafka secret property without its key", Map.of(),
                        "kafkaSecretProperties: [{cluster: main, property: sasl.jaas.config, secretName: kafka-user}]", "secretKey"),
                new BadValues("bootstrap servers from a secret property", Map.of(),
                        "kafkaSecretProperties: [{cluster: main, property: bootstrap.servers, secretName: s, secretKey: k}]", "property"),
                new BadValues("bearer token Secret name not a DNS name",
                        Map.of("prometheusAuth.bearerTokenSecret.name", "Prom_Token"), "", "name"),
                new BadValues("NetworkPolicy rule without ports (would allow every port)", Map.of(),
                        "networkPolicy: {enabled: true, egress: {kafka: {ports: []}}}", "ports"),
                new BadValues("NetworkPolicy key misspelt", Map.of("networkPolicy.egress.promethues.ports", "9090"), "", "promethues"),
                new BadValues("API server CIDR without a prefix length", Map.of(),
                        "networkPolicy: {egress: {kubernetesApi: {cidrs: [10.0.0.1]}}}", "cidrs"),
                new BadValues("ServiceMonitor scheme", Map.of("metrics.serviceMonitor.scheme", "tcp"), "", "scheme"),
                new BadValues("negative revisionHistoryLimit", Map.of("revisionHistoryLimit", -1), "", "revisionHistoryLimit"),
                new BadValues("additional label that is not a string", Map.of(), "additionalLabels: {tier: {a: b}}", "tier"),
                new BadValues("unknown startup probe field", Map.of("probes.startup.path", "/x"), "", "path"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void badValuesFailAtTemplateTimeBecauseOfTheSchema(BadValues bad) {
        Exception e = assertThrows(Exception.class, () -> ChartFiles.render(bad.sets(), bad.values()));
        String message = String.valueOf(e.getMessage());
        assertTrue(message.contains("schema"), message);
        assertTrue(message.contains(bad.mentioned()), message);
    }

    @Test
    void lintFailsOnBadDefaultValues(@TempDir Path tmp) throws IOException {
        Path copy = tmp.resolve("flink-autoscaler");
        try (Stream<Path> files = Files.walk(ChartFiles.chartDir())) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(ChartFiles.chartDir().relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Path values = copy.resolve("values.yaml");
        Files.writeString(values, Files.readString(values).replace("replicaCount: 2", "replicaCount: two"));
        LintResult lint = new Helm(copy).lint().strict().call();
        assertTrue(lint.isFailed(), "lint accepted replicaCount: two");
        assertTrue(lint.getMessages().toString().contains("replicaCount"), lint.getMessages().toString());
    }

    private static String checksum(Map<String, Object> sets) {
        return deployment(ChartFiles.parse(ChartFiles.render(sets))).getSpec().getTemplate().getMetadata()
                .getAnnotations().get("checksum/config");
    }

    private static void assertBoundToServiceAccount(List<Subject> subjects) {
        assertEquals(1, subjects.size());
        assertEquals("ServiceAccount", subjects.get(0).getKind());
        assertEquals(FULLNAME, subjects.get(0).getName());
        assertEquals(ChartFiles.NAMESPACE, subjects.get(0).getNamespace());
    }

    private static <T> List<T> ofKind(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static Deployment deployment(List<HasMetadata> objects) {
        List<Deployment> ds = ofKind(objects, Deployment.class);
        assertEquals(1, ds.size());
        return ds.get(0);
    }

    private static ConfigMap configMap(List<HasMetadata> objects) {
        return ofKind(objects, ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(FULLNAME))
                .findFirst().orElseThrow();
    }

    private static JsonNode readJson(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError("dashboard is not valid JSON", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> groups(Object specOrFile) {
        return (List<Map<String, Object>>) ((Map<String, Object>) specOrFile).get("groups");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules(Map<String, Object> group) {
        return (List<Map<String, Object>>) group.get("rules");
    }
}

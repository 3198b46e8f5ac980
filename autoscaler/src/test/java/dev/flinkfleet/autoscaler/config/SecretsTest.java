package dev.flinkfleet.autoscaler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.typesafe.config.ConfigFactory;

class SecretsTest {

    record Case(String name, String text, List<String> known, String masked) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> texts() {
        return Stream.of(
                new Case("url with user and password", "GET http://alice:pw1@prom:9090/api failed", List.of(), "GET http://alice:***@prom:9090/api failed"),
                new Case("url with a token as userinfo", "https://tok3n@host/x", List.of(), "https://***@host/x"),
                new Case("url without userinfo is kept", "http://prom:9090/api/v1/query", List.of(), "http://prom:9090/api/v1/query"),
                new Case("bearer header", "Authorization: Bearer abc.def-ghi", List.of(), "Authorization: Bearer ***"),
                new Case("basic header", "Authorization: Basic YWxpY2U6cHc=", List.of(), "Authorization: Basic ***"),
                new Case("jaas options", "PlainLoginModule required username=\"u\" password=\"pw2\";", List.of(),
                        "PlainLoginModule required username=\"u\" password=\"***\";"),
                new Case("property dump", "{ssl.key.password=pw3, client.id=x, sasl.jaas.config=abc}", List.of(),
                        "{ssl.key.password=***, client.id=x, sasl.jaas.config=***}"),
                new Case("known value anywhere", "login failed for secret-value-9 at broker", List.of("secret-value-9"),
                        "login failed for *** at broker"),
                new Case("short known values are not searched", "a b c", List.of("b"), "a b c"),
                new Case("null", null, List.of("x"), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void masksSecretsInFreeText(Case c) {
        assertEquals(c.masked(), Secrets.maskSecrets(c.text(), c.known()));
    }

    @Test
    void secretKeysAreRecognisedByName() {
        for (String k : List.of("sasl.jaas.config", "ssl.keystore.password", "ssl.truststore.password", "ssl.key.password",
                "ssl.keystore.key", "bearer-token", "sasl.oauthbearer.client.credentials.client.secret", "basic.auth.user.info")) {
            assertTrue(Secrets.isSecretKey(k), k);
        }
        for (String k : List.of("bootstrap.servers", "client.id", "ssl.keystore.location", "bearer-token-file", "security.protocol",
                "sasl.mechanism", "ssl.truststore.type")) {
            assertFalse(Secrets.isSecretKey(k), k);
        }
    }

    @Test
    void maskPropertiesHidesSecretValuesOnly() {
        Map<String, Object> masked = Secrets.maskProperties(Map.of("sasl.jaas.config", "x required password=\"p\";",
                "bootstrap.servers", "b:9092", "ssl.truststore.password", "tp"));
        assertEquals(new TreeMap<>(Map.of("sasl.jaas.config", "***", "bootstrap.servers", "b:9092", "ssl.truststore.password", "***")),
                new TreeMap<>(masked));
    }

    @Test
    void secretValuesOfADaemonConfigIncludeJaasOptionsAndUrlPasswords() {
        var config = ConfigFactory.parseString("""
                flinkfleet.prometheus.url = "http://alice:pw%40x@prom:9090"
                flinkfleet.prometheus.bearer-token = "bearer-1"
                flinkfleet.prometheus.bearer-token-file = "/var/run/token"
                flinkfleet.daemon.kafka-clusters.private-dc.admin {
                  "sasl.jaas.config" = "m required username=\\"bob\\" password=\\"jaas-pw\\";"
                  "client.id" = "autoscaler"
                }
                """);
        Set<String> values = Secrets.secretValues(config);
        assertTrue(values.containsAll(List.of("pw%40x", "pw@x", "bearer-1", "jaas-pw", "m required username=\"bob\" password=\"jaas-pw\";")), values.toString());
        assertFalse(values.contains("autoscaler"), values.toString());
        assertFalse(values.contains("/var/run/token"), values.toString());
        assertFalse(values.contains("bob"), "user names are not secrets: " + values);
    }
}

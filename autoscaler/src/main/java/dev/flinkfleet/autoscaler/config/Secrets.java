package dev.flinkfleet.autoscaler.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

/**
 * Which settings are credentials and how to mask them, so that no credential reaches a log line, an error, an
 * HTTP endpoint or a {@code toString()}. Everything that prints a URL, a property map or a backend's error text
 * passes it through here first.
 *
 * <p>Three things are masked: userinfo in URLs ({@code http://user:pass@host} becomes
 * {@code http://user:***@host}), values of secret-looking names in free text ({@code password="x"},
 * {@code Bearer x}, {@code ssl.key.password=x}) and any value the caller knows to be a secret (from
 * {@link #secretValues(Config)}), wherever it appears, because a library's exception may echo it in any form.
 */
public final class Secrets {

    /** What a secret is replaced with. */
    public static final String MASK = "***";

    /**
     * Values shorter than this are not searched for in free text: masking every "ab" in a log line would make it
     * unreadable, and such a value is no secret worth the name. Names and patterns still mask them.
     */
    static final int MIN_KNOWN_LENGTH = 4;

    /** Parts of a property name that mark its value as a credential (ssl.key.password, sasl.jaas.config, ...). */
    private static final List<String> SECRET_WORDS = List.of("password", "passwd", "secret", "token", "jaas", "credential",
            "private", "userinfo", "user.info", "apikey", "api-key", "api.key");

    /** scheme://userinfo@ ; the userinfo ends at the last '@' before the host (passwords may contain '@' encoded only). */
    private static final Pattern URL_USERINFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)([^/?#@\\s\"']*)@");
    /** Authorization schemes as sent (capitalised), so prose such as "cannot read bearer token file" survives. */
    private static final Pattern AUTH_HEADER = Pattern.compile("\\b(Bearer|Basic)\\s+[A-Za-z0-9._~+/=-]+");
    /** name="value" or name=value where the name looks secret (JAAS options, property dumps, query strings). */
    private static final Pattern SECRET_ASSIGNMENT = Pattern.compile(
            "(?i)([\\w.-]*(?:password|passwd|secret|token|jaas|credential|apikey|api-key|api\\.key)[\\w.-]*)"
                    + "(\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s,;&}\\]\"']+)");
    /** Quoted option values inside a JAAS line: username="u" password="p". */
    private static final Pattern JAAS_OPTION = Pattern.compile("([\\w.-]+)\\s*=\\s*\"([^\"]*)\"");

    private Secrets() {
    }

    /** True when a property or config key names a credential. A segment {@code key} counts (ssl.keystore.key). */
    public static boolean isSecretKey(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith("file") || n.endsWith("location") || n.endsWith("path")) {
            return false; // where a secret is kept (bearer-token-file, ssl.keystore.location), not the secret
        }
        for (String w : SECRET_WORDS) {
            if (n.contains(w)) {
                return true;
            }
        }
        for (String segment : n.split("[.\\-_\"]")) {
            if (segment.equals("key")) {
                return true;
            }
        }
        return false;
    }

    /** The URL with its password (or a lone user-info token) replaced by {@value #MASK}. */
    public static String maskUrl(String url) {
        return url == null ? null : maskUserInfo(url);
    }

    public static String maskUrl(URI url) {
        return url == null ? null : maskUserInfo(url.toString());
    }

    /** A copy whose values of secret names are {@value #MASK} and whose other values have URL userinfo masked. */
    public static Map<String, Object> maskProperties(Map<String, ?> properties) {
        Map<String, Object> out = new LinkedHashMap<>();
        properties.forEach((k, v) -> out.put(k, isSecretKey(k) ? MASK : v instanceof String s ? maskSecrets(s, List.of()) : v));
        return out;
    }

    /**
     * {@code text} with URL userinfo, authorization headers, secret-named assignments and every known secret value
     * (of at least {@value #MIN_KNOWN_LENGTH} characters) replaced by {@value #MASK}. Null stays null.
     */
    public static String maskSecrets(String text, Collection<String> knownSecretValues) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        // Longest first, so a secret that contains another is masked whole.
        List<String> known = knownSecretValues.stream().filter(v -> v != null && v.length() >= MIN_KNOWN_LENGTH)
                .distinct().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String v : known) {
            out = out.replace(v, MASK);
        }
        out = maskUserInfo(out);
        out = AUTH_HEADER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + " " + MASK));
        out = SECRET_ASSIGNMENT.matcher(out).replaceAll(m -> {
            String v = m.group(3);
            String masked = v.startsWith("\"") ? "\"" + MASK + "\"" : v.startsWith("'") ? "'" + MASK + "'" : MASK;
            return Matcher.quoteReplacement(m.group(1) + m.group(2) + masked);
        });
        return out;
    }

    /** {@link #maskSecrets(String, Collection)} with no known values: patterns only. */
    public static String maskSecrets(String text) {
        return maskSecrets(text, List.of());
    }

    /**
     * The secret values among {@code properties} (Kafka admin config): values of secret names, and the quoted
     * option values inside a JAAS line, since an exception may echo a single option.
     */
    public static Set<String> secretValues(Map<String, ?> properties) {
        Set<String> out = new LinkedHashSet<>();
        properties.forEach((k, v) -> {
            if (v != null && isSecretKey(k)) {
                addSecret(out, String.valueOf(v));
            }
            if (v != null) {
                userInfo(String.valueOf(v)).forEach(u -> addSecret(out, u));
            }
        });
        return out;
    }

    /**
     * Every credential in a daemon config: Prometheus URL userinfo and bearer token, and the secret properties of
     * every Kafka cluster's admin block (see {@link #isSecretKey}), plus any other secret-named string under
     * {@code flinkfleet}. Does not read the bearer-token file; its holder masks what it reads.
     */
    public static Set<String> secretValues(Config root) {
        Set<String> out = new LinkedHashSet<>();
        if (root.hasPath("flinkfleet")) {
            for (Map.Entry<String, ConfigValue> e : root.getConfig("flinkfleet").entrySet()) {
                ConfigValue v = e.getValue();
                if (v.valueType() == ConfigValueType.LIST || v.valueType() == ConfigValueType.NULL) {
                    continue;
                }
                String value = String.valueOf(v.unwrapped());
                List<String> path = ConfigUtil.splitPath(e.getKey());
                // The property name only: a cluster called "private-dc" is not a secret.
                int admin = path.indexOf("admin");
                String name = admin >= 0 ? String.join(".", path.subList(admin + 1, path.size())) : path.get(path.size() - 1);
                if (isSecretKey(name)) {
                    addSecret(out, value);
                }
                userInfo(value).forEach(u -> addSecret(out, u));
            }
        }
        return out;
    }

    private static void addSecret(Set<String> out, String value) {
        String v = value.strip();
        if (v.isEmpty()) {
            return;
        }
        out.add(v);
        Matcher m = JAAS_OPTION.matcher(v);
        while (m.find()) {
            if (!m.group(2).isEmpty() && !m.group(1).equalsIgnoreCase("username")) {
                out.add(m.group(2));
            }
        }
    }

    /** The password part of each URL userinfo in {@code text} (the whole userinfo when it has no ':'). */
    private static List<String> userInfo(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = URL_USERINFO.matcher(text);
        while (m.find()) {
            String info = m.group(2);
            int colon = info.indexOf(':');
            String secret = colon >= 0 ? info.substring(colon + 1) : info;
            if (!secret.isEmpty()) {
                out.add(secret);
                try {
                    String decoded = java.net.URLDecoder.decode(secret, java.nio.charset.StandardCharsets.UTF_8);
                    if (!decoded.equals(secret)) {
                        out.add(decoded); // an exception may print the decoded form
                    }
                } catch (IllegalArgumentException e) {
                    // not %-encoded; the raw form is already listed
                }
            }
        }
        return out;
    }

    private static String maskUserInfo(String text) {
        return URL_USERINFO.matcher(text).replaceAll(m -> {
            String info = m.group(2);
            int colon = info.indexOf(':');
            String masked = colon >= 0 ? info.substring(0, colon) + ":" + MASK : MASK;
            return Matcher.quoteReplacement(m.group(1) + masked + "@");
        });
    }
}

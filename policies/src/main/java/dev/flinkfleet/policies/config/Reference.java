package dev.flinkfleet.policies.config;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

/**
 * The declared keys: every {@code reference.conf} on a class path, parsed with comments kept. Unlike
 * {@code ConfigFactory.defaultReference()} it ignores system properties, so validation sees exactly what is
 * declared.
 */
public final class Reference {

    private static final Config BUILT_IN = load(Reference.class.getClassLoader());

    private Reference() {
    }

    /** The reference config visible to this module's class loader. */
    public static Config get() {
        return BUILT_IN;
    }

    public static Config load(ClassLoader loader) {
        return ConfigFactory.parseResources(loader, "reference.conf").resolve();
    }

    /**
     * One declared key.
     *
     * @param path         full path, e.g. {@code flinkfleet.governor.min-workers}
     * @param defaultValue the default, rendered as HOCON
     * @param doc          the doc comment above it (lines joined by a space); empty when there is none
     * @param section      true for a block whose keys are listed separately
     */
    public record Key(String path, String defaultValue, String doc, boolean section) {
    }

    /**
     * Every key under {@code root}, sorted by path, each block before its keys (the parser does not keep file
     * order). Empty blocks such as {@code labels {}} are leaves.
     */
    public static List<Key> keys(Config reference, String root) {
        List<Key> out = new ArrayList<>();
        walk(reference.getObject(root), root, out);
        return out;
    }

    private static void walk(ConfigObject obj, String prefix, List<Key> out) {
        for (String k : obj.keySet().stream().sorted().toList()) {
            ConfigValue v = obj.get(k);
            String path = prefix + "." + quoteIfNeeded(k);
            boolean section = v.valueType() == ConfigValueType.OBJECT && !((ConfigObject) v).isEmpty();
            out.add(new Key(path, section ? "" : render(v), doc(v), section));
            if (section) {
                walk((ConfigObject) v, path, out);
            }
        }
    }

    static String doc(ConfigValue v) {
        return v.origin().comments().stream().map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.joining(" "));
    }

    static String render(ConfigValue v) {
        if (v.valueType() == ConfigValueType.STRING && !((String) v.unwrapped()).isEmpty()
                && ((String) v.unwrapped()).matches("[A-Za-z0-9._-]+")) {
            return (String) v.unwrapped(); // 2m, backlog-drain: as one would write them
        }
        return v.render(ConfigRenderOptions.concise().setJson(false));
    }

    private static String quoteIfNeeded(String key) {
        return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
    }
}

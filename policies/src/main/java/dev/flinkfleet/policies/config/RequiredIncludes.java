package dev.flinkfleet.policies.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigObject;

/**
 * Makes every {@code include} in a HOCON file required: typesafe-config skips a missing include silently, and
 * a policy whose governor block sits in a file that is not there would run with the defaults. Use with
 * {@code ConfigParseOptions.setIncluder(new RequiredIncludes())}; a missing include throws {@link Missing}.
 */
public final class RequiredIncludes implements ConfigIncluder {

    private final ConfigIncluder fallback;

    public RequiredIncludes() {
        this(null);
    }

    private RequiredIncludes(ConfigIncluder fallback) {
        this.fallback = fallback;
    }

    @Override
    public ConfigIncluder withFallback(ConfigIncluder fallback) {
        return this.fallback == null ? new RequiredIncludes(fallback) : this;
    }

    @Override
    public ConfigObject include(ConfigIncludeContext context, String what) {
        try {
            return fallback.include(context.setParseOptions(context.parseOptions().setAllowMissing(false)), what);
        } catch (ConfigException.IO e) {
            throw new Missing(what, e);
        }
    }

    /** An included file that is not there (or cannot be read); {@code what} is the name as the include wrote it. */
    public static final class Missing extends ConfigException.IO {

        private static final long serialVersionUID = 1L;

        private final String what;

        Missing(String what, ConfigException.IO cause) {
            super(cause.origin(), "include \"" + what + "\": " + cause.getMessage(), cause);
            this.what = what;
        }

        /** The file name as the include wrote it. */
        public String what() {
            return what;
        }

        /** The line of the include naming {@code what} in {@code text} (the parser does not tell), else 1. */
        public int lineIn(String text) {
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].contains("include") && lines[i].contains("\"" + what + "\"")) {
                    return i + 1;
                }
            }
            return 1;
        }
    }
}

package dev.flinkfleet.autoscaler.logging;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

import dev.flinkfleet.autoscaler.config.Secrets;

/**
 * The last line of defence for credentials in logs: wraps the console's encoder (pattern or JSON) and passes every
 * encoded event, stack traces included, through {@link Secrets#maskSecrets}. The code masks secrets where it
 * prints them; this catches what it cannot see, such as a library's exception that echoes a JAAS line or a URL
 * with a password. Configured in {@code logback.xml}; the daemon adds the values its config holds as secrets at
 * start-up with {@link #rememberSecrets}.
 */
public final class MaskingEncoder extends EncoderBase<ILoggingEvent> {

    /** Global because logging is: every appender of the process masks the same known values. */
    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();

    private Encoder<ILoggingEvent> encoder;

    /** Adds configured secret values (and their JSON-escaped forms, for the JSON encoder) to mask wherever they appear. */
    public static void rememberSecrets(Collection<String> values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                KNOWN.add(v);
                KNOWN.add(jsonEscaped(v));
            }
        }
    }

    /** The encoder whose output is masked (Joran sets it from the nested {@code <encoder>} element). */
    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    public Encoder<ILoggingEvent> getEncoder() {
        return encoder;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("MaskingEncoder needs a nested <encoder>");
            return;
        }
        if (encoder.getContext() == null) {
            encoder.setContext(getContext());
        }
        if (!encoder.isStarted()) {
            encoder.start();
        }
        super.start();
    }

    @Override
    public void stop() {
        if (encoder != null) {
            encoder.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return mask(encoder.headerBytes());
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return mask(encoder.encode(event));
    }

    @Override
    public byte[] footerBytes() {
        return mask(encoder.footerBytes());
    }

    private static byte[] mask(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return bytes;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        String masked = Secrets.maskSecrets(text, KNOWN);
        return masked.equals(text) ? bytes : masked.getBytes(StandardCharsets.UTF_8);
    }

    private static String jsonEscaped(String v) {
        StringBuilder sb = new StringBuilder(v.length() + 8);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}

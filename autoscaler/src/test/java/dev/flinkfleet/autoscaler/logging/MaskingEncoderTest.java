package dev.flinkfleet.autoscaler.logging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.joran.spi.JoranException;

/** The log-level safety net: what the code forgot to mask, the encoder masks, in plain and JSON logs. */
class MaskingEncoderTest {

    private static final String MARKER = "S3CRET-MARKER-log";

    @Test
    void plainLinesAndStackTracesAreMasked() {
        MaskingEncoder.rememberSecrets(List.of(MARKER));
        LoggerContext ctx = new LoggerContext();
        PatternLayoutEncoder pattern = new PatternLayoutEncoder();
        pattern.setContext(ctx);
        pattern.setPattern("%msg%n");
        String out = logThrough(ctx, pattern);
        assertFalse(out.contains(MARKER), out);
        assertFalse(out.contains("hunter2"), out);
        assertTrue(out.contains("http://alice:***@prom:9090"), out);
        assertTrue(out.contains("java.lang.IllegalStateException"), "the stack trace is kept, only masked: " + out);
    }

    @Test
    void jsonLinesAreMaskedIncludingEscapedValues() {
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"" + MARKER + "-json\";";
        MaskingEncoder.rememberSecrets(List.of(jaas, MARKER + "-json"));
        LoggerContext ctx = new LoggerContext();
        JsonEncoder json = new JsonEncoder();
        json.setContext(ctx);
        String out = logThrough(ctx, json, "cannot log in with " + jaas);
        assertFalse(out.contains(MARKER), out);
        assertTrue(out.contains("password=\\\"***\\\"") || out.contains("***"), out);
    }

    @Test
    void theShippedLogbackXmlWrapsTheConsoleEncoder() throws IOException, JoranException {
        LoggerContext ctx = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(ctx);
        try (InputStream in = MaskingEncoder.class.getResourceAsStream("/logback.xml")) {
            configurator.doConfigure(in);
        }
        Appender<ILoggingEvent> console = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
        Encoder<ILoggingEvent> encoder = ((ConsoleAppender<ILoggingEvent>) console).getEncoder();
        assertTrue(encoder instanceof MaskingEncoder m && m.isStarted() && m.getEncoder() instanceof PatternLayoutEncoder,
                "logback.xml must route the console through MaskingEncoder, got " + encoder);
    }

    private static String logThrough(LoggerContext ctx, Encoder<ILoggingEvent> inner) {
        return logThrough(ctx, inner, "querying http://alice:hunter2@prom:9090/api/v1/query");
    }

    private static String logThrough(LoggerContext ctx, Encoder<ILoggingEvent> inner, String message) {
        ctx.setMDCAdapter(new LogbackMDCAdapter()); // a fresh context has none; the root one gets it from SLF4J
        MaskingEncoder masking = new MaskingEncoder();
        masking.setContext(ctx);
        masking.setEncoder(inner);
        masking.start();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(ctx);
        appender.setEncoder(masking);
        appender.setOutputStream(bytes);
        appender.start();
        Logger log = ctx.getLogger("test");
        log.addAppender(appender);
        log.warn(message, new IllegalStateException("login failed for password=" + MARKER));
        appender.stop();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("IllegalStateException"), "nothing was logged: " + ctx.getStatusManager().getCopyOfStatusList());
        return out;
    }
}

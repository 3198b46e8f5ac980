package dev.flinkfleet.autoscaler.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;

import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;

/** The shipped logback.xml must load without errors; a broken one silently falls back to DEBUG on stdout. */
class LogbackConfigTest {

    @Test
    void shippedLogbackConfigurationLoadsCleanly() throws Exception {
        URL url = getClass().getResource("/logback.xml");
        assertNotNull(url, "logback.xml on the class path");
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(url);
        StatusUtil status = new StatusUtil(context);
        assertTrue(status.getHighestLevel(0) < Status.ERROR,
                () -> context.getStatusManager().getCopyOfStatusList().toString());
    }
}

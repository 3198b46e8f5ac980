package dev.flinkfleet.autoscaler.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;

class KafkaSignalSettingsTest {

    @Test
    void referenceDefaultsLoad() {
        KafkaSignalSettings s = KafkaSignalSettings.fromConfig(ConfigFactory.defaultReference());
        assertTrue(s.growthWindow().compareTo(s.rateWindow()) >= 0);
        assertTrue(s.staleAfter().compareTo(s.growthWindow()) > 0, "values of a healthy job must not read stale");
    }

    @Test
    void badValueNamesTheKeyAndFile() {
        var bad = ConfigFactory.parseString("flinkfleet.kafka.growth-window = 0s",
                com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription("daemon.conf"))
                .withFallback(ConfigFactory.defaultReference());
        ConfigException.BadValue e = assertThrows(ConfigException.BadValue.class, () -> KafkaSignalSettings.fromConfig(bad));
        assertTrue(e.getMessage().contains("growth-window") && e.getMessage().contains("daemon.conf"), e.getMessage());
    }

    @Test
    void overrideIsRead() {
        var c = ConfigFactory.parseString("flinkfleet.kafka.topic-metadata-ttl = 30s").withFallback(ConfigFactory.defaultReference());
        assertEquals(Duration.ofSeconds(30), KafkaSignalSettings.fromConfig(c).topicMetadataTtl());
    }
}

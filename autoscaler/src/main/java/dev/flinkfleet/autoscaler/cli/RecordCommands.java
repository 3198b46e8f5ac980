package dev.flinkfleet.autoscaler.cli;

import java.nio.file.Path;
import java.time.Duration;

import org.slf4j.LoggerFactory;

import com.typesafe.config.Config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.flinkfleet.autoscaler.config.DaemonConfigFile;
import dev.flinkfleet.autoscaler.record.RecordException;

/** What the {@code trace record} commands share: reading the daemon config, durations, a quiet Kafka client. */
final class RecordCommands {

    private RecordCommands() {
    }

    /** The daemon config, checked as {@code run} checks it; every problem in one error. */
    static Config loadConfig(Path file) {
        DaemonConfigFile.Result r = DaemonConfigFile.load(file, false, false);
        if (!r.ok()) {
            throw new RecordException(String.join("; ", r.problems()));
        }
        return r.config();
    }

    static Duration duration(String option, String text) {
        try {
            return Durations.positive(option, text);
        } catch (IllegalArgumentException e) {
            throw new RecordException(e.getMessage());
        }
    }

    /**
     * Turns the Kafka client's own warnings off until closed: against an unreachable broker it logs one line per
     * reconnect attempt, and the command's one-line error already says what failed.
     */
    static Restore quietKafkaLogs() {
        if (!(LoggerFactory.getLogger("org.apache.kafka") instanceof Logger kafka)) {
            return () -> { };
        }
        Level before = kafka.getLevel();
        kafka.setLevel(Level.ERROR);
        return () -> kafka.setLevel(before);
    }

    /** Undoes a setting; closing cannot fail. */
    interface Restore extends AutoCloseable {
        @Override
        void close();
    }
}

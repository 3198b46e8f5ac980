package dev.flinkfleet.simulator.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Trace files shared by the simulator's engine tests and simulator-flink's (through the test jar). */
public final class SimulatorFixtures {

    private SimulatorFixtures() {
    }

    /**
     * Three jobs, two days each of a daily wave with bursts, starting at different times of day, written under
     * {@code dir}/fleet once; returns that directory.
     */
    public static Path waveFleet(Path dir) throws IOException {
        Path fleet = dir.resolve("fleet");
        if (!Files.isDirectory(fleet)) {
            trace(fleet.resolve("a.csv"), Instant.parse("2024-03-04T00:00:00Z"), 0);
            trace(fleet.resolve("b.csv"), Instant.parse("2024-03-04T07:13:00Z"), 2);
            trace(fleet.resolve("c.csv"), Instant.parse("2024-03-05T15:40:00Z"), 4);
        }
        return fleet;
    }

    static void trace(Path file, Instant start, double phase) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder sb = new StringBuilder("timestamp,events_per_second\n");
        for (int i = 0; i < 2 * 1440; i++) {
            double rate = 1000 + 800 * Math.sin(2 * Math.PI * i / 1440 + phase) + (i % 97 == 0 ? 1500 : 0);
            sb.append(start.plusSeconds(60L * i)).append(',').append(rate).append('\n');
        }
        Files.writeString(file, sb);
    }
}

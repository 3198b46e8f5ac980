package dev.flinkfleet.simulator.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A policy file travels with its contents: where the same file is at hand it is used as given, and where it is
 * missing or differs (a remote task manager) a copy of what the client read is, under the file's own name.
 */
class ShippedPolicyTest {

    @TempDir
    Path dir;

    /**
     * @param name   what the case covers
     * @param there  what becomes of the file after it was read: kept, deleted, or rewritten
     * @param copied whether the loader gets a copy instead of the path given
     */
    record Case(String name, String there, boolean copied) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(new Case("the same file is here", "kept", false),
                new Case("the file is not here", "deleted", true),
                new Case("another file has its path here", "rewritten", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theLoaderReadsWhatTheClientRead(Case c) throws Exception {
        Path file = Files.writeString(dir.resolve("my-app.conf"), "application { name = \"a\", policy = \"backlog-drain\" }\n");
        byte[] read = Files.readAllBytes(file);
        ShippedPolicy shipped = PerJobReplayTest.roundTrip(ShippedPolicy.of(file.toString()));
        switch (c.there()) {
            case "deleted" -> Files.delete(file);
            case "rewritten" -> Files.writeString(file, "application { name = \"b\", policy = \"lag-threshold\" }\n");
            default -> { }
        }
        Path resolved = Path.of(shipped.resolve());
        assertEquals(c.copied(), !resolved.equals(file), "copied: " + resolved);
        assertEquals("my-app.conf", resolved.getFileName().toString());
        assertArrayEquals(read, Files.readAllBytes(resolved));
    }

    @Test
    void aBuiltInNameTravelsAsIs() {
        ShippedPolicy shipped = ShippedPolicy.of("backlog-drain");
        assertEquals(null, shipped.content());
        assertEquals("backlog-drain", shipped.resolve());
    }
}

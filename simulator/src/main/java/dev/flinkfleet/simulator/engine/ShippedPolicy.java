package dev.flinkfleet.simulator.engine;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A {@code --policy} value that travels: a built-in name as is, or a policy file with its contents, so a machine
 * without the file (a remote Flink task manager) replays the same policy.
 *
 * @param spec     the value as given
 * @param fileName the file's name; null for a built-in name
 * @param content  the file's bytes; null for a built-in name
 */
public record ShippedPolicy(String spec, String fileName, byte[] content) implements Serializable {

    /** Reads the file {@code spec} names, if there is one (the loader takes a file before a built-in name too). */
    public static ShippedPolicy of(String spec) {
        Path file = Path.of(spec);
        if (!Files.isRegularFile(file)) {
            return new ShippedPolicy(spec, null, null);
        }
        try {
            return new ShippedPolicy(spec, file.getFileName().toString(), Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(spec + ": cannot read policy file", e);
        }
    }

    /**
     * The value to give the policy loader here: the original when it is a built-in name or the same file is here,
     * else a copy of the file, under its own name, in a fresh temporary folder.
     */
    public String resolve() {
        if (content == null) {
            return spec;
        }
        try {
            Path here = Path.of(spec);
            if (Files.isRegularFile(here) && Arrays.equals(Files.readAllBytes(here), content)) {
                return spec;
            }
            Path copy = Files.createTempDirectory("flinkfleet-policy").resolve(fileName);
            Files.write(copy, content);
            copy.toFile().deleteOnExit();
            copy.getParent().toFile().deleteOnExit();
            return copy.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a copy of policy file " + fileName, e);
        }
    }
}

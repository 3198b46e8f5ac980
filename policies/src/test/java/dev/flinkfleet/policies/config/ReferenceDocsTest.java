package dev.flinkfleet.policies.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ReferenceDocsTest {

    @Test
    void everyLeafKeyHasADocComment() {
        List<Reference.Key> keys = Reference.keys(Reference.get(), "flinkfleet");
        assertTrue(keys.stream().anyMatch(k -> k.path().equals("flinkfleet.governor.min-workers")), "reference.conf is on the class path");
        List<String> undocumented = keys.stream().filter(k -> !k.section() && k.doc().isBlank()).map(Reference.Key::path).toList();
        assertEquals(List.of(), undocumented, "keys in reference.conf without a comment above them");
    }

    @Test
    void keysCarryDefaultsAndDocs() {
        Reference.Key k = Reference.keys(Reference.get(), "flinkfleet").stream()
                .filter(x -> x.path().equals("flinkfleet.governor.scale-up-cooldown")).findFirst().orElseThrow();
        assertEquals("2m", k.defaultValue());
        assertTrue(k.doc().contains("scale-up"), k.doc());
    }
}

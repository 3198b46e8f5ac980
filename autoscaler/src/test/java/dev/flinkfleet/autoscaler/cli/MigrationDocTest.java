package dev.flinkfleet.autoscaler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;

import dev.flinkfleet.policies.config.GovernorSettings;
import dev.flinkfleet.policies.governor.GovernorConfig;

/** docs/migrating-from-operator-autoscaler.md cannot drift from the defaults on either side, nor its examples from the format. */
class MigrationDocTest {

    static final Path DOC = Path.of("..", "docs", "migrating-from-operator-autoscaler.md");
    static final Pattern TICKED = Pattern.compile("`([^`]+)`");

    record Row(String operatorOption, String operatorDefault, String ourKey, String ourDefault) {
    }

    static List<Row> rows() throws IOException {
        String text = Files.readString(DOC);
        String table = text.substring(text.indexOf("## Option by option"), text.indexOf("## Asked for by its users"));
        List<Row> rows = new ArrayList<>();
        for (String line : table.split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cols = line.split(" \\| ");
            Matcher op = TICKED.matcher(cols[0]);
            Matcher ours = TICKED.matcher(cols[2]);
            assertTrue(op.find(), line);
            rows.add(new Row(op.group(1), cols[1].strip(), ours.find() ? ours.group(1) : null, cols[3].strip()));
        }
        return rows;
    }

    @Test
    void operatorDefaultsMatchWhatImportUses() throws IOException {
        Set<String> seen = new HashSet<>();
        for (Row r : rows()) {
            String expected = OperatorOptionsImport.OPERATOR_DEFAULTS.get(r.operatorOption());
            if (expected != null) {
                seen.add(r.operatorOption());
                assertEquals(normal(expected), normal(r.operatorDefault()), r.operatorOption());
            }
        }
        assertEquals(OperatorOptionsImport.OPERATOR_DEFAULTS.keySet(), seen, "every option import maps is in the table");
    }

    @Test
    void ourDefaultsMatchReferenceConf() throws IOException {
        Config ref = ConfigFactory.defaultReference();
        int checked = 0;
        for (Row r : rows()) {
            if (r.ourKey() == null || !r.ourKey().startsWith("flinkfleet.")) {
                continue;
            }
            assertTrue(ref.hasPath(r.ourKey()), "no such key: " + r.ourKey());
            String actual = ref.getValue(r.ourKey()).valueType() == ConfigValueType.LIST
                    ? ref.getList(r.ourKey()).unwrapped().toString() : String.valueOf(ref.getValue(r.ourKey()).unwrapped());
            assertEquals(normal(actual), normal(r.ourDefault()), r.ourKey());
            checked++;
        }
        assertTrue(checked >= 12, "checked " + checked);
    }

    @Test
    void excludedPeriodsExampleIsValid() throws IOException {
        String text = Files.readString(DOC);
        Matcher m = Pattern.compile("excluded-periods = (\\[[^\\]]*\\])").matcher(text);
        assertTrue(m.find());
        GovernorConfig g = GovernorSettings.read(ConfigFactory.parseString("excluded-periods = " + m.group(1))
                .withFallback(ConfigFactory.defaultReference().getConfig(GovernorConfig.PATH)));
        assertEquals(2, g.excludedPeriods().expressions().size());
    }

    /** A duration in either syntax as milliseconds, a number as a double, anything else as is. */
    static String normal(String v) {
        try {
            return "duration " + OperatorOptionsImport.flinkDuration(v).toMillis();
        } catch (IllegalArgumentException notFlink) {
            try {
                return "duration " + Durations.parse("value", v).toMillis();
            } catch (IllegalArgumentException notOurs) {
                try {
                    return "number " + Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    return v;
                }
            }
        }
    }
}

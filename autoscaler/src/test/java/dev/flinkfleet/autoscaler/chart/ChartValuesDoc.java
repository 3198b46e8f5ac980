package dev.flinkfleet.autoscaler.chart;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.comments.CommentLine;
import org.yaml.snakeyaml.comments.CommentType;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The values table of the chart's README, generated from the comments of values.yaml as helm-docs reads them:
 * the comment block above a key that starts with {@code # --} is its description (continued by the following
 * comment lines), {@code # -- (type) text} overrides the type, and a line {@code # @default -- text} replaces
 * the default shown. A documented block is one row; an undocumented block is descended into. Unlike helm-docs,
 * a key without {@code # --} takes the plain comment directly above it, so that keys documented the older way
 * still say something. Rows keep the file's order (helm-docs' {@code --sort-values-order file}).
 */
final class ChartValuesDoc {

    static final String START = "<!-- values-table:start (generated from values.yaml; see \"Values\") -->";
    static final String END = "<!-- values-table:end -->";

    private static final Pattern TYPE = Pattern.compile("^\\((\\w[\\w ,/]*)\\)\\s*(.*)$");
    private static final Pattern DEFAULT = Pattern.compile("^@default\\s+--\\s*(.*)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One documented value. */
    record Row(String key, String type, String defaultValue, String description) {
    }

    private ChartValuesDoc() {
    }

    /** Every documented value of {@code valuesYaml}, in file order. */
    static List<Row> rows(String valuesYaml) {
        LoaderOptions options = new LoaderOptions();
        options.setProcessComments(true);
        Node root = new Yaml(options).compose(new StringReader(valuesYaml));
        Object values = new Yaml().load(valuesYaml);
        List<Row> out = new ArrayList<>();
        if (root instanceof MappingNode m) {
            walk(m, values, "", out);
        }
        return out;
    }

    /** The Markdown table of {@code rows}. */
    static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder("| Key | Type | Default | Description |\n|-----|------|---------|-------------|\n");
        for (Row r : rows) {
            sb.append("| ").append(cell(r.key())).append(" | ").append(cell(r.type())).append(" | ").append(cell(r.defaultValue()))
                    .append(" | ").append(cell(r.description())).append(" |\n");
        }
        return sb.toString();
    }

    /** {@code readme} with the text between the table markers replaced by the table of {@code valuesYaml}. */
    static String withTable(String readme, String valuesYaml) {
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("README has no '" + START + "' ... '" + END + "' section");
        }
        return readme.substring(0, start + START.length()) + "\n" + table(rows(valuesYaml)) + readme.substring(end);
    }

    @SuppressWarnings("unchecked")
    private static void walk(MappingNode mapping, Object values, String prefix, List<Row> out) {
        for (NodeTuple t : mapping.getValue()) {
            String name = ((ScalarNode) t.getKeyNode()).getValue();
            String key = prefix.isEmpty() ? name : prefix + "." + name;
            Object value = ((Map<String, Object>) values).get(name);
            Doc doc = doc(t.getKeyNode().getBlockComments());
            if (!doc.helmDocs() && t.getValueNode() instanceof MappingNode child && !child.getValue().isEmpty()) {
                walk(child, value, key, out);
                continue;
            }
            String type = doc.type() != null ? doc.type() : typeOf(value);
            String shown = doc.defaultValue() != null ? doc.defaultValue() : "`" + json(value) + "`";
            out.add(new Row(key, type, shown, doc.description()));
        }
    }

    /** What the comment block above a key says. */
    private record Doc(boolean helmDocs, String type, String defaultValue, String description) {
    }

    /** Reads the comment lines directly above a key (after the last blank line). */
    private static Doc doc(List<CommentLine> comments) {
        List<String> lines = new ArrayList<>();
        for (CommentLine c : comments == null ? List.<CommentLine>of() : comments) {
            if (c.getCommentType() == CommentType.BLANK_LINE) {
                lines.clear();
            } else {
                lines.add(c.getValue().strip());
            }
        }
        int from = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals("--") || lines.get(i).startsWith("-- ")) {
                from = i;
            }
        }
        boolean helmDocs = from >= 0;
        String type = null;
        String shown = null;
        List<String> text = new ArrayList<>();
        for (int i = Math.max(from, 0); i < lines.size(); i++) {
            String line = i == from ? lines.get(i).substring(2).strip() : lines.get(i);
            Matcher d = DEFAULT.matcher(line);
            if (d.matches()) {
                shown = d.group(1);
                continue;
            }
            if (i == from) {
                Matcher t = TYPE.matcher(line);
                if (t.matches()) {
                    type = t.group(1);
                    line = t.group(2);
                }
            }
            if (!line.isEmpty()) {
                text.add(line);
            }
        }
        return new Doc(helmDocs, type, shown, String.join(" ", text));
    }

    private static String typeOf(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger) {
            return "int";
        }
        if (v instanceof Double || v instanceof Float) {
            return "float";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof List) {
            return "list";
        }
        if (v instanceof Map) {
            return "object";
        }
        return "string";
    }

    private static String json(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
